// The notifications service's documents as the API shows them.
import type { DeliveryDoc, NotificationDoc, PushDevice } from "./store.ts";

export function notificationToWire(doc: NotificationDoc) {
  const { _id, user_id, event, title, body, data, read_at, created_at } = doc;
  return { id: _id, user_id, event, title, body, data, is_read: read_at !== null, read_at, created_at };
}

export function deliveryToWire(doc: DeliveryDoc) {
  const { _id, message, ...rest } = doc;
  return { id: _id, ...rest, subject: message.subject, text: message.text };
}

export const deviceToWire = ({ token, platform, registered_at }: PushDevice) => ({ token, platform, registered_at });
