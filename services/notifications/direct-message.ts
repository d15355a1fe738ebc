// What a staff member sends by hand: their own text, or a saved template filled with the
// values they give. An unknown template or a value that does not fit is a 400 naming it.
import { errors } from "../../mixins/api/errors.ts";
import type { TemplateFinder } from "./templates/catalog.ts";
import type { Locale } from "./templates/events.ts";
import { checkData, render, type TemplateData } from "./templates/placeholders.ts";

export interface DirectRequest {
  text?: string;
  subject?: string;
  template?: string;
  locale: Locale;
  data: TemplateData;
}

export interface DirectMessage {
  /** The template key, or "direct" for a text of the sender's own. */
  event: string;
  subject: string | null;
  text: string;
}

export async function directMessage(catalog: TemplateFinder, channel: "sms" | "email", request: DirectRequest): Promise<DirectMessage> {
  if (request.template === undefined) {
    if (channel === "email" && !request.subject) throw errors.validation([{ path: "body.subject", message: "an e-mail needs a subject (or use a template)" }]);
    return { event: "direct", subject: channel === "email" ? request.subject! : null, text: request.text! };
  }
  const template = await catalog.find(request.template, channel, request.locale);
  if (!template) {
    throw errors.validation([{ path: "body.template", message: `no ${channel} template named ${request.template} (in ${request.locale} or fr); see GET /api/notifications/templates/` }]);
  }
  const problems = checkData(template.placeholders, request.data);
  if (problems.length) throw errors.validation(problems.map((message) => ({ path: "body.data", message: `${message}, for ${template.id}` })));
  return {
    event: template.key,
    subject: request.subject ?? (template.subject === null ? null : render(template.subject, request.data)),
    text: render(template.body, request.data),
  };
}
