// Builders for the notifications tests: notify through the internal action, as other
// services and scheduled jobs do, and read what the delivery log recorded.
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { Connection } from "mongoose";
import { notificationsStore, type DeliveryDoc } from "../../services/notifications/store.ts";
import { system } from "../support/system.ts";

export { waitFor } from "../scheduler/support.ts";

export const NOTIFICATIONS = "/api/notifications/notifications/";
export const TEMPLATES = "/api/notifications/templates/";
export const SEND_SMS = "/api/notifications/send-sms/";
export const SEND_EMAIL = "/api/notifications/send-email/";
export const PUSH_TOKENS = "/api/notifications/push-tokens/";
export const DELIVERIES = "/api/notifications/deliveries/";
export const SMS_PROVIDERS = "/api/notifications/sms-providers/";

export const aKey = (label = "event") => `${label}-${randomUUID()}`;

export const REMINDER_DATA = { service: "Dépôt", branch: "Agence Plateau", time: "09:30", date: "2030-01-07", minutes_before: 60 };

export function notify(params: Record<string, unknown>, broker: ServiceBroker = system().node.broker): Promise<any> {
  return broker.call("notifications.notify", params);
}

/** A reminder for this user, as the appointments service schedules it. */
export const remind = (userId: string, key = aKey("reminder"), broker?: ServiceBroker) =>
  notify({ user_id: userId, event: "appointment.reminder", data: REMINDER_DATA, idempotency_key: key }, broker);

/** The user's deliveries through providers (SMS, e-mail, push); with `inbox`, the in-app ones logged beside them too. */
export async function deliveriesTo(userId: string, db: Connection = system().node.db, { inbox = false } = {}): Promise<DeliveryDoc[]> {
  const channels = inbox ? {} : { channel: { $ne: "in_app" } };
  return notificationsStore(db).deliveries.find({ user_id: userId, ...channels }).sort({ created_at: 1 }).lean<DeliveryDoc[]>();
}
