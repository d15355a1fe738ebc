// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. The first
// row names the columns. A `;` separator is accepted too (spreadsheets in French locales).
export function parseCsv(text: string): Array<Record<string, string>> {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const separator = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === separator) row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += ch;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  const nonEmpty = rows.filter((r) => r.some((f) => f.trim() !== ""));
  const [header, ...data] = nonEmpty;
  if (!header) return [];
  const columns = header.map((h) => h.trim().toLowerCase());
  return data.map((r) => Object.fromEntries(columns.map((c, i) => [c, (r[i] ?? "").trim()])));
}
