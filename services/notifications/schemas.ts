// Request shapes of the notifications service: they validate, type the handlers and feed OpenAPI.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { DateBound, IdParams } from "../../mixins/api/schemas.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { DELIVERY_STATUSES, LOGGED_CHANNELS } from "./store.ts";
import { CHANNELS, LOCALES } from "./templates/events.ts";

export const TemplateKey = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "lower-case words joined by '.', e.g. ticket.called or promo.ramadan");
const Subject = z.string().trim().min(1).max(200);
const TemplateBody = z.string().trim().min(1).max(2000);
/** Values for a template's placeholders: {{name:string}} takes a string, {{name:number}} a number. */
const TemplateValues = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "placeholder names are lower-case words"), z.union([z.string().max(500), z.number()]));
const IdempotencyKey = z.string().min(1).max(200);
const Bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const ListTemplates = restInput({
  query: listQuery(["key", "channel", "locale", "updated_at"], {
    key: TemplateKey.optional(),
    channel: z.enum(CHANNELS).optional(),
    locale: z.enum(LOCALES).optional(),
  }),
});
export const ById = restInput({ params: IdParams });
export const CreateTemplate = restInput({
  body: z.object({ key: TemplateKey, channel: z.enum(CHANNELS), locale: z.enum(LOCALES), subject: Subject.nullable().optional(), body: TemplateBody }).strict(),
});
/** Internal: the template notify renders for one message. */
export const FindTemplate = z.object({ key: TemplateKey, channel: z.enum(CHANNELS), locale: z.enum(LOCALES) });
export const UpdateTemplate = restInput({
  params: IdParams,
  body: z.object({ subject: Subject.nullable().optional(), body: TemplateBody.optional() }).strict(),
});

export const ListNotifications = restInput({ query: listQuery(["created_at"], { is_read: Bool.optional(), event: z.string().max(64).optional() }) });
export const MarkRead = restInput({ params: IdParams, body: z.object({}).strict().optional() });
export const MarkAllRead = restInput({ body: z.object({}).strict().optional() });

/** A staff send: a text of their own, or a template with its values. */
const DirectSend = {
  text: z.string().trim().min(1).max(1000).optional(),
  template: TemplateKey.optional(),
  locale: z.enum(LOCALES).default("fr"),
  data: TemplateValues.default({}),
  idempotency_key: IdempotencyKey.optional(),
};
const eitherTextOrTemplate = (b: { text?: string; template?: string }) => (b.text === undefined) !== (b.template === undefined);
const textOrTemplate = [eitherTextOrTemplate, { message: "give either text or template, not both", path: ["text"] }] as [typeof eitherTextOrTemplate, { message: string; path: string[] }];

/** `to` is read as a phone number in DEFAULT_PHONE_REGION unless it starts with +. */
export const SendSms = restInput({ body: z.object({ to: z.string().min(3).max(32), ...DirectSend }).strict().refine(...textOrTemplate) });
export const SendEmail = restInput({ body: z.object({ to: z.email().max(254), subject: Subject.optional(), ...DirectSend }).strict().refine(...textOrTemplate) });

export const SmsProviders = restInput({});

const PushToken = z.string().min(20, "an FCM registration token").max(4096).regex(/^[\w:.-]+$/, "an FCM registration token (letters, digits, ':', '-', '_', '.')");
export const RegisterPushToken = restInput({ body: z.object({ token: PushToken, platform: z.enum(["android", "ios", "web"]).optional() }).strict() });
export const UnregisterPushToken = restInput({ params: z.object({ token: z.string().max(4096) }) });
export const ListPushTokens = restInput({});
export const ForgetPushToken = z.object({ user_id: z.string().max(64), token: z.string().max(4096) });

export const ListDeliveries = restInput({
  query: listQuery(["created_at", "updated_at"], {
    channel: z.enum(LOGGED_CHANNELS).optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    event: z.string().max(64).optional(),
    user_id: z.string().max(64).optional(),
    organization_id: z.string().max(64).optional(),
    date_from: DateBound.optional(),
    date_to: DateBound.optional(),
  }),
});

/** Internal: a kiosk ticket's phone number, texted its tracker link and then its calls (sms-follow-ups.ts). */
export const FollowTicketBySms = z
  .object({
    ticket_id: z.string().min(1).max(80),
    to: z.string().min(3).max(32),
    organization_id: z.string().max(64).nullable(),
    requested_by: z.string().max(64),
    number: z.string().max(20),
    link: z.string().max(500),
  })
  .strict();

/** Internal (not REST): the contract other services and scheduled jobs call. */
export const Notify = z
  .object({
    user_id: z.string().min(1).max(64),
    /** A template key, e.g. "appointment.reminder". */
    event: TemplateKey,
    /** The template's placeholders, e.g. { service, branch, time, date, minutes_before }. */
    data: TemplateValues.default({}),
    /** One send per (key, recipient, channel), however often this is called. */
    idempotency_key: IdempotencyKey,
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
  })
  .strict();

/** Internal: attempt `attempt` of a delivery, called by the scheduler's `call:` job. */
export const RetryDelivery = z.object({ delivery_id: z.string().min(1).max(64), attempt: z.number().int().min(2) }).strict();
