// Notifying one user of one event: the in-app notification (always), then SMS, e-mail and
// push on the channels the user has and this node can send on, each rendered from the
// template in the user's locale. Every message, the in-app one too, is in the delivery log. Every piece is claimed once per idempotency key, so a
// repeat — a re-run job, a second node hearing the same broadcast — sends nothing new and
// answers what the first did.
import { errors, type FieldIssue } from "../../mixins/api/errors.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { Courier, NewDelivery } from "./delivery.ts";
import { inboxId } from "./inbox.ts";
import type { DeliveryChannel, DeliveryDoc, LoggedChannel, NotificationDoc, NotificationsStore, PushDevice } from "./store.ts";
import type { TemplateFinder } from "./templates/catalog.ts";
import { CHANNELS, DEFAULT_LOCALE, LOCALES, type Channel, type Locale } from "./templates/events.ts";
import { checkData, render, type TemplateData } from "./templates/placeholders.ts";

/** What accounts.contactOf answers: where a user can be reached, and in which language. */
export interface Contact {
  id: string;
  phone: string | null;
  email: string | null;
  locale: string;
  is_active: boolean;
}

export interface NotifyRequest {
  user_id: string;
  event: string;
  data: TemplateData;
  idempotency_key: string;
  /** Only these channels (all by default). */
  channels?: readonly Channel[];
}

export interface DeliverySummary {
  id: string;
  channel: LoggedChannel;
  recipient: string;
  status: DeliveryDoc["status"];
  attempts: number;
  provider: string | null;
}

export interface NotifyResult {
  user_id: string;
  event: string;
  idempotency_key: string;
  notification_id: string | null;
  deliveries: DeliverySummary[];
  /** Set when nothing could be sent at all, and why. */
  skipped?: "user_not_found" | "user_inactive";
}

export interface NotifierDeps {
  store: NotificationsStore;
  catalog: TemplateFinder;
  courier: Courier;
  contactOf(userId: string): Promise<Contact | null>;
  /** The user's push devices (notifications.push-tokens, through the cacher). */
  devicesOf(userId: string): Promise<PushDevice[]>;
  /** A new in-app notification, for the user's live channel. */
  published(notification: NotificationDoc): void;
}

export const summaryOf = (d: DeliveryDoc): DeliverySummary => ({
  id: d._id, channel: d.channel, recipient: d.recipient, status: d.status, attempts: d.attempts, provider: d.provider,
});

const localeOf = (contact: Contact): Locale => ((LOCALES as readonly string[]).includes(contact.locale) ? (contact.locale as Locale) : DEFAULT_LOCALE);

/** `live`: also publish the new in-app notification on the user's live channel. */
export async function notify(deps: NotifierDeps, request: NotifyRequest, options: { live: boolean }): Promise<NotifyResult> {
  const { user_id, event, data, idempotency_key } = request;
  const answer: NotifyResult = { user_id, event, idempotency_key, notification_id: null, deliveries: [] };
  const contact = await deps.contactOf(user_id);
  if (!contact) return { ...answer, skipped: "user_not_found" };
  if (!contact.is_active) return { ...answer, skipped: "user_inactive" };

  const channels = request.channels ?? CHANNELS;
  const locale = localeOf(contact);
  const templates = new Map((await Promise.all(channels.map(async (c) => [c, await deps.catalog.find(event, c, locale)] as const))).filter(([, t]) => t !== null));
  if (templates.size === 0) throw errors.validation([{ path: "event", message: `no template named ${event} (for ${channels.join(", ")})` }]);
  const issues: FieldIssue[] = [];
  for (const template of new Set([...templates.values()].map((t) => t!))) {
    for (const message of checkData(template.placeholders, data)) issues.push({ path: `data (${template.id})`, message });
  }
  if (issues.length) throw errors.validation(issues);
  const text = (channel: Channel) => {
    const t = templates.get(channel);
    return t ? { subject: t.subject === null ? null : render(t.subject, data), text: render(t.body, data) } : null;
  };

  const inApp = text("in_app");
  if (inApp) {
    const id = inboxId(user_id, idempotency_key);
    const doc: NotificationDoc = { _id: id, user_id, event, title: inApp.subject ?? "", body: inApp.text, data, read_at: null, created_at: new Date() };
    if ((await claimOnce(deps.store.notifications, id, doc)) && options.live) deps.published(doc);
    answer.notification_id = id;
    await deps.courier.logInbox(id, { event, idempotency_key, user_id, recipient: user_id, message: { ...inApp, data: null } });
  }

  const base = { event, idempotency_key, user_id };
  const pending: Array<Promise<DeliveryDoc>> = [];
  const send = (channel: DeliveryChannel, recipient: string, recipientKey: string, extra: Record<string, string> | null = null) => {
    const message = text(channel);
    if (!message || !deps.courier.canSend(channel)) return;
    const input: NewDelivery = { ...base, channel, recipient, message: { ...message, data: extra } };
    pending.push(deps.courier.deliver(input, recipientKey));
  };
  if (contact.phone) send("sms", contact.phone, user_id);
  if (contact.email) send("email", contact.email, user_id);
  if (templates.has("push") && deps.courier.canSend("push")) {
    const devices = await deps.devicesOf(user_id);
    const pushData = { event, ...(answer.notification_id && { notification_id: answer.notification_id }), ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])) };
    for (const { token } of devices) send("push", token, `${user_id}/${token}`, pushData);
  }
  answer.deliveries = (await Promise.all(pending)).map(summaryOf);
  return answer;
}
