// Templates as stored: validated when saved, seeded with the built-in wording, and found
// per (key, channel, locale) — the user's locale first, then French — by the
// notifications.templates service (templates.service.ts).
import type { FieldIssue } from "../../../mixins/api/errors.ts";
import { duplicateIndexes } from "../../../mixins/db/claim.ts";
import type { NotificationsStore, TemplateDoc } from "../store.ts";
import { builtInTemplates } from "./defaults.ts";
import { hasSubject, placeholdersOf, type Channel, type Locale } from "./events.ts";
import { checkAgainst, parsePlaceholders, type Placeholders } from "./placeholders.ts";

export const templateId = (key: string, channel: Channel, locale: Locale) => `${key}:${channel}:${locale}`;

export interface TemplateInput {
  key: string;
  channel: Channel;
  subject: string | null;
  body: string;
}

/** The placeholders of a template, or the problems that keep it from being saved. */
export function checkTemplate(input: TemplateInput, at = "body"): { placeholders: Placeholders; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const placeholders: Placeholders = {};
  const known = placeholdersOf(input.key);
  if (hasSubject(input.channel) && !input.subject) issues.push({ path: `${at}.subject`, message: `a ${input.channel} template needs a subject (its title)` });
  if (!hasSubject(input.channel) && input.subject) issues.push({ path: `${at}.subject`, message: "an sms template has no subject" });
  for (const field of ["subject", "body"] as const) {
    const text = input[field];
    if (!text) continue;
    const parsed = parsePlaceholders(text);
    const problems = [...parsed.problems, ...checkAgainst(parsed.placeholders, known)];
    for (const [name, type] of Object.entries(parsed.placeholders)) {
      if (placeholders[name] && placeholders[name] !== type) problems.push(`{{${name}:${type}}} is {{${name}:${placeholders[name]}}} in the subject`);
      placeholders[name] ??= type;
    }
    for (const message of problems) issues.push({ path: `${at}.${field}`, message });
  }
  return { placeholders, issues };
}

/** Saves the built-in wording where no template exists yet; never overwrites one. */
export async function seedBuiltIns(store: NotificationsStore): Promise<void> {
  const now = new Date();
  const docs = builtInTemplates().map((t) => ({
    _id: templateId(t.key, t.channel, t.locale),
    ...t,
    placeholders: checkTemplate(t).placeholders,
    built_in: true,
    updated_by: null,
    created_at: now,
    updated_at: now,
  }));
  try {
    await store.templates.collection.insertMany(docs as unknown as Parameters<typeof store.templates.collection.insertMany>[0], { ordered: false });
  } catch (err) {
    if (!duplicateIndexes(err)) throw err;
  }
}

/** A template as notify and the staff sends use it (the API's shape: `id` is its key). */
export type Template = Omit<TemplateDoc, "_id"> & { id: string };

/** Where a message's template is found: the locale asked for, else French; null when neither exists. */
export interface TemplateFinder {
  find(key: string, channel: Channel, locale: Locale): Promise<Template | null>;
}
