// Typed placeholders in template texts: `{{name:type}}`, type `string` or `number`.
// A text is checked once, when its template is saved; rendering then only substitutes.
export const PLACEHOLDER_TYPES = ["string", "number"] as const;
export type PlaceholderType = (typeof PLACEHOLDER_TYPES)[number];
export type Placeholders = Record<string, PlaceholderType>;
export type TemplateData = Record<string, string | number>;

/** Anything between double braces, so that a malformed placeholder is seen, not sent. */
const BRACES = /\{\{([^{}]*)\}\}/g;
const WELL_FORMED = /^\s*([a-z][a-z0-9_]*)\s*:\s*([a-z]+)\s*$/;

export interface ParsedText {
  placeholders: Placeholders;
  problems: string[];
}

/** The placeholders of one text, and what is wrong with them (empty when nothing is). */
export function parsePlaceholders(text: string): ParsedText {
  const placeholders: Placeholders = {};
  const problems: string[] = [];
  for (const [whole, inner] of text.matchAll(BRACES)) {
    const match = WELL_FORMED.exec(inner);
    if (!match) {
      problems.push(`${whole} is not a placeholder: write {{name:string}} or {{name:number}}`);
      continue;
    }
    const [, name, type] = match;
    if (!(PLACEHOLDER_TYPES as readonly string[]).includes(type)) {
      problems.push(`${whole} has the unknown type "${type}": use string or number`);
    } else if (placeholders[name] && placeholders[name] !== type) {
      problems.push(`${whole} gives ${name} a second type (${placeholders[name]} elsewhere)`);
    } else {
      placeholders[name] = type as PlaceholderType;
    }
  }
  return { placeholders, problems };
}

/** Problems of `used` against what an event provides (`known`; undefined: any name). */
export function checkAgainst(used: Placeholders, known: Placeholders | undefined): string[] {
  if (!known) return [];
  const problems: string[] = [];
  const offered = Object.entries(known).map(([n, t]) => `${n}:${t}`).join(", ");
  for (const [name, type] of Object.entries(used)) {
    if (!known[name]) problems.push(`{{${name}:${type}}} is unknown here; this event provides ${offered}`);
    else if (known[name] !== type) problems.push(`{{${name}:${type}}} must be {{${name}:${known[name]}}}`);
  }
  return problems;
}

/** Problems of `data` for these placeholders: missing values and values of the wrong type. */
export function checkData(placeholders: Placeholders, data: TemplateData): string[] {
  const problems: string[] = [];
  for (const [name, type] of Object.entries(placeholders)) {
    const value = data[name];
    if (value === undefined) problems.push(`${name} is missing (${type})`);
    else if (type === "number" && (typeof value !== "number" || !Number.isFinite(value))) problems.push(`${name} must be a number`);
    else if (type === "string" && typeof value !== "string") problems.push(`${name} must be a string`);
  }
  return problems;
}

/** The text with each placeholder replaced by its value; call checkData first. */
export function render(text: string, data: TemplateData): string {
  return text.replace(BRACES, (whole, inner: string) => {
    const match = WELL_FORMED.exec(inner);
    const value = match ? data[match[1]] : undefined;
    return value === undefined ? whole : String(value);
  });
}
