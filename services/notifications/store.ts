// The notifications service's collections. Everything that must happen once is an insert
// under a unique _id (mixins/db/claim.ts): an in-app notification and a delivery have
// ids derived from (idempotency key, recipient, channel), the notification's under its
// user's prefix (inbox.ts), an attempt is `<delivery>#<n>`, a
// place in a recipient's rate window is `<channel>:<recipient>:<window>:<n>`. Hot paths read
// and write by _id only.
import { Schema, type Connection, type Model } from "mongoose";
import { claimSchema, type ClaimDoc } from "../../mixins/db/claim.ts";
import { dropIndexes, ensureIndexes, modelOf } from "../../mixins/db/models.ts";
import { watchSchema, type WatchDoc } from "./delivery-watches.ts";
import { CHANNELS, LOCALES, type Channel, type Locale } from "./templates/events.ts";
import type { Placeholders, TemplateData } from "./templates/placeholders.ts";

export interface TemplateDoc {
  /** `<key>:<channel>:<locale>`, e.g. "ticket.called:sms:fr". */
  _id: string;
  key: string;
  channel: Channel;
  locale: Locale;
  subject: string | null;
  body: string;
  placeholders: Placeholders;
  /** Saved from the built-in wording and not changed since. */
  built_in: boolean;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** An in-app notification: what the user reads in the app's inbox. */
export interface NotificationDoc {
  _id: string;
  user_id: string;
  event: string;
  title: string;
  body: string;
  data: TemplateData;
  read_at: Date | null;
  created_at: Date;
}

/** The channels a provider delivers on (the courier's). */
export const DELIVERY_CHANNELS = ["sms", "email", "push"] as const satisfies readonly Channel[];
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/** Every channel the delivery log shows: the providers' and the in-app inbox. */
export const LOGGED_CHANNELS = [...DELIVERY_CHANNELS, "in_app"] as const satisfies readonly Channel[];
export type LoggedChannel = (typeof LOGGED_CHANNELS)[number];
export const DELIVERY_STATUSES = ["queued", "sent", "failed", "retrying"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface AttemptRecord {
  attempt: number;
  provider: string;
  outcome: "sent" | "failed";
  error: string | null;
  at: Date;
}

export interface OutgoingMessage {
  subject: string | null;
  text: string;
  /** Push only: what the app receives beside the title and text. */
  data: Record<string, string> | null;
}

/** One message to one address on one channel: the delivery log. */
export interface DeliveryDoc {
  _id: string;
  channel: LoggedChannel;
  /** The template key (e.g. "ticket.called"), or "direct" for a staff text. */
  event: string;
  idempotency_key: string;
  user_id: string | null;
  /** Phone number (E.164), e-mail address, device token, or (in-app) the user id. */
  recipient: string;
  message: OutgoingMessage;
  status: DeliveryStatus;
  attempts: number;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  /** Why it failed, in a word: provider_failed, rate_limited, invalid_recipient… */
  error_code: string | null;
  history: AttemptRecord[];
  next_attempt_at: Date | null;
  sent_at: Date | null;
  organization_id: string | null;
  requested_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** `<length>:<organization>:<created ISO>#<delivery id>`: a delivery the organisation asked for, for staff's log (organization-deliveries.ts). */
export interface OrganizationDeliveryDoc {
  _id: string;
  channel: LoggedChannel;
  event: string;
  user_id: string | null;
}

export interface PushDevice {
  token: string;
  platform: string | null;
  registered_at: Date;
}

/** `_id` = user id: a user's devices, read by _id on every notification. */
export interface PushTokensDoc {
  _id: string;
  devices: PushDevice[];
}


const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

const templateSchema = new Schema<TemplateDoc>(
  {
    _id: String,
    key: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    locale: { type: String, enum: LOCALES, required: true },
    subject: { type: String, default: null },
    body: { type: String, required: true },
    placeholders: { type: Schema.Types.Mixed, default: {} },
    built_in: { type: Boolean, default: false },
    updated_by: { type: String, default: null },
  },
  { collection: "notification_templates", timestamps, versionKey: false, minimize: false },
);

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: String,
    user_id: { type: String, required: true },
    event: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    read_at: { type: Date, default: null },
    created_at: { type: Date, required: true },
  },
  { collection: "notifications", versionKey: false, minimize: false },
);

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: String,
    channel: { type: String, enum: LOGGED_CHANNELS, required: true },
    event: { type: String, required: true },
    idempotency_key: { type: String, required: true },
    user_id: { type: String, default: null },
    recipient: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    provider: { type: String, default: null },
    provider_message_id: { type: String, default: null },
    last_error: { type: String, default: null },
    error_code: { type: String, default: null },
    history: { type: Schema.Types.Mixed, default: [] },
    next_attempt_at: { type: Date, default: null },
    sent_at: { type: Date, default: null },
    organization_id: { type: String, default: null },
    requested_by: { type: String, default: null },
  },
  { collection: "notification_deliveries", timestamps, versionKey: false, minimize: false },
);

const organizationDeliverySchema = new Schema<OrganizationDeliveryDoc>(
  { _id: String, channel: String, event: String, user_id: { type: String, default: null } },
  { collection: "organization_deliveries", versionKey: false },
);

const pushTokensSchema = new Schema<PushTokensDoc>(
  { _id: String, devices: { type: Schema.Types.Mixed, default: [] } },
  { collection: "push_tokens", versionKey: false },
);

export interface NotificationsStore {
  templates: Model<TemplateDoc>;
  notifications: Model<NotificationDoc>;
  deliveries: Model<DeliveryDoc>;
  /** Staff's delivery log: the deliveries each organisation asked for, by creation. */
  organizationDeliveries: Model<OrganizationDeliveryDoc>;
  pushTokens: Model<PushTokensDoc>;
  /** `<delivery>#<n>`: attempt n of a delivery is made once, by one node. */
  attempts: Model<ClaimDoc>;
  /** Places in recipients' rate windows. */
  rateSlots: Model<ClaimDoc>;
  /** One per notification a queue change asks for: the node that inserts it does the work. */
  queueRequests: Model<ClaimDoc>;
  /** The first attempts in flight, by when they are overdue (delivery-watches.ts). */
  watches: Model<WatchDoc>;
}

export function notificationsStore(db: Connection): NotificationsStore {
  return {
    templates: modelOf(db, "NotificationTemplate", templateSchema),
    notifications: modelOf(db, "Notification", notificationSchema),
    deliveries: modelOf(db, "NotificationDelivery", deliverySchema),
    organizationDeliveries: modelOf(db, "OrganizationDelivery", organizationDeliverySchema),
    pushTokens: modelOf(db, "PushTokens", pushTokensSchema),
    attempts: modelOf(db, "NotificationAttempt", claimSchema("notification_attempts")),
    rateSlots: modelOf(db, "NotificationRateSlot", claimSchema("notification_rate_slots")),
    queueRequests: modelOf(db, "NotificationQueueRequest", claimSchema("notification_queue_requests")),
    watches: modelOf(db, "NotificationWatch", watchSchema),
  };
}

/** Indexes a newer version no longer keeps: the inbox is read by _id (inbox.ts), staff's
 * delivery log by rows (organization-deliveries.ts), and every insert also wrote these. */
const RETIRED_NOTIFICATION_INDEXES = ["user_id_1"];
const RETIRED_DELIVERY_INDEXES = ["organization_id_1"];

/** The templates' indexes are made by their own service (templates.service.ts, db mixin). */
export async function ensureNotificationsIndexes({ templates: _own, ...store }: NotificationsStore): Promise<void> {
  await ensureIndexes(store);
  await Promise.all([dropIndexes(store.notifications, RETIRED_NOTIFICATION_INDEXES), dropIndexes(store.deliveries, RETIRED_DELIVERY_INDEXES)]);
}

/** Claims that no longer matter: finished rate windows, attempts of long-settled deliveries. */
export async function purgeExpiredClaims(store: NotificationsStore, now = new Date()): Promise<void> {
  await Promise.all([store.rateSlots, store.attempts, store.queueRequests].map((claims) => claims.deleteMany({ expires_at: { $lt: now } })));
}
