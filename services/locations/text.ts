// Place names as people type them: "Medina", "médina", "MÉDINA" and "Médina " are one name.
// Matching is on a key without accents, case or punctuation; the fuzzy score forgives a
// typo or two ("Ouakam" / "Wakam" is an alias, "Ouakan" is a typo).

/** NFD, diacritics stripped, lower case, anything not a letter or digit a single space. */
export function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** A key for ids: the normalised name with dashes. */
export const slug = (text: string) => normalise(text).replace(/ /g, "-");

/** Levenshtein distance, bounded: stops counting past `max` (returns max + 1). */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * How well a typed query names a place (both normalised), 0..1: 1 for the same name, high
 * when the query is a whole word or prefix of the name or the name a word of the query
 * ("mairie de yoff" names Yoff), and by edit distance otherwise (a typo per five letters).
 */
export function nameScore(query: string, name: string): number {
  if (!query || !name) return 0;
  if (query === name) return 1;
  const words = query.split(" ");
  if (name.startsWith(query)) return 0.9;
  if (` ${query} `.includes(` ${name} `)) return 0.85 * Math.min(1, 0.5 + name.length / query.length);
  if (` ${name} `.includes(` ${query} `)) return 0.8;
  const allowed = Math.max(1, Math.floor(name.length / 5));
  const whole = editDistance(query, name, allowed);
  if (whole <= allowed) return 0.75 - (0.25 * whole) / (allowed + 1);
  // A typo in one word of a longer query ("mairie de ouakan").
  const span = name.split(" ").length;
  for (let i = 0; i + span <= words.length; i++) {
    const d = editDistance(words.slice(i, i + span).join(" "), name, allowed);
    if (d <= allowed) return 0.6 - (0.2 * d) / (allowed + 1);
  }
  return 0;
}
