// The events services broadcast to each other: one contract (a zod schema and its type)
// per event name, imported by the service that emits it and by every service that listens.
// Emitters get the payload checked at compile time (`broadcast`); listeners get it parsed
// (`listener`): a payload that does not parse is logged and ignored, never half-used.
// Services talk through actions and these events only.
import type { Context, Service, ServiceBroker } from "moleculer";
import { z } from "zod";
import { QueueChanged } from "../actors/host/queue-changed.ts";

export { QueueChanged, type ChangedEvent, type NextTicket } from "../actors/host/queue-changed.ts";

/** An entity of an organisation was saved (slots are regenerated on such changes). */
const RecordChanged = z.object({ id: z.string(), organization_id: z.string() });

/** An in-app notification was created: live relays it to that user's sockets. */
export const NotificationCreated = z.object({
  user_id: z.string(),
  notification: z.object({ id: z.string(), event: z.string() }).loose(),
});
export type NotificationCreated = z.output<typeof NotificationCreated>;

/** A message to a user by SMS or e-mail was sent, or failed for good: live relays it. */
const DeliverySettled = z.object({
  user_id: z.string(),
  delivery: z.object({ id: z.string(), channel: z.string(), status: z.string() }).loose(),
});

/** A payment (services/payments) as its events name it: amounts in integer XOF. */
const Payment = z.object({
  transaction_id: z.string(),
  organization_id: z.string(),
  user_id: z.string(),
  service_id: z.string().nullable(),
  /** The appointment whose deposit this is, if it is one. */
  appointment_id: z.string().nullable().default(null),
  method: z.enum(["wave", "orange_money", "free_money"]),
  amount: z.number().int().positive(),
});

/** A traffic report staff made on an area (services/locations/traffic.ts): every node's estimates take it in. */
const TrafficReported = z.object({
  id: z.string(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radius_m: z.number().positive(),
  severity: z.number().min(0).max(5),
  reported_at: z.iso.datetime(),
  organization_id: z.string().nullable(),
  note: z.string(),
});

/** A user recorded a location (services/locations/user-locations.ts): live shows it to that user, and to the
 * organisations they share their arrival with. Personal data: nothing logs it. */
const UserLocated = z.object({
  user_id: z.string(),
  /** One more per point the user records: a follower that sees a gap asks again. */
  version: z.number().int().min(1),
  point: z.object({ id: z.string(), latitude: z.number(), longitude: z.number(), accuracy_m: z.number().nullable(), recorded_at: z.iso.datetime(), expires_at: z.iso.datetime() }),
  /** The organisations whose staff may follow it (an open ticket's branch the user shares their arrival with). */
  shared_with: z.array(z.string()),
});

/** Which appointment, and whose. */
const AppointmentRef = z.object({
  appointment_id: z.string(),
  organization_id: z.string(),
  branch_id: z.string().nullable(),
  service_id: z.string(),
});

/** How an appointment ended, once: cancelled (by its citizen or staff, or its deposit not
 * paid), checked in (it became a ticket) or missed (not checked in within the grace period). */
export const APPOINTMENT_OUTCOMES = ["cancelled", "checked_in", "no_show"] as const;

/** What the appointments service tells analytics, by a call that must succeed, not by an
 * event (services/appointments/announcements.ts keeps each until analytics has it). */
export const APPOINTMENT_ANNOUNCEMENTS = {
  /** An appointment was booked: analytics keeps its booking lead time. */
  booked: AppointmentRef.extend({ booked_at: z.iso.datetime(), starts_at: z.iso.datetime() }),
  /** How an appointment ended. */
  ended: AppointmentRef.extend({ outcome: z.enum(APPOINTMENT_OUTCOMES), at: z.iso.datetime() }),
};

export type AnnouncementKind = keyof typeof APPOINTMENT_ANNOUNCEMENTS;
export type Announced<K extends AnnouncementKind> = z.output<(typeof APPOINTMENT_ANNOUNCEMENTS)[K]>;

export const EVENTS = {
  /** Once per queue per durable group commit (actors/host/queue-changed.ts). */
  "queue.changed": QueueChanged,
  /** A queue's settings changed or it was deleted: caches drop it. */
  "queues.changed": z.object({ queue_id: z.string(), deleted: z.boolean() }),
  "notifications.created": NotificationCreated,
  "notifications.delivered": DeliverySettled,
  /** A kiosk ticket's citizen gave a number: every node's notifications learn it has an SMS follow-up. */
  "notifications.sms_follow_up.added": z.object({ ticket_id: z.string() }),
  /** A session (by jti) or every session of a user ended or changed: caches forget them, live closes their sockets. */
  "accounts.sessions.changed": z.object({ jti: z.string().optional(), user_id: z.string().optional() }),
  "business.branch.changed": RecordChanged,
  "business.service.changed": RecordChanged,
  /** A payment succeeded (by webhook, verification or reconciliation), once. */
  "payments.succeeded": Payment,
  /** A payment failed or expired, once. */
  "payments.failed": Payment.extend({ status: z.enum(["failed", "expired"]) }),
  /** The provider took a refund: `refund_amount` now, `refunded` in all. */
  "payments.refunded": Payment.extend({ refund_amount: z.number().int().positive(), refunded: z.number().int().positive(), status: z.enum(["partially_refunded", "refunded"]) }),
  "locations.traffic.reported": TrafficReported,
  "locations.user.located": UserLocated,
  /** A stopping scheduler node handed back jobs of this name (services/scheduler/job-announcements.ts): the others look for them before their next poll. */
  "scheduler.jobs.handed_back": z.object({ job_name: z.string(), next_run_at: z.iso.datetime() }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<N extends EventName> = z.output<(typeof EVENTS)[N]>;

/** Broadcasts an event to every node's listeners, its payload typed by its contract. */
export function broadcast<N extends EventName>(from: Pick<Context, "broadcast"> | ServiceBroker, name: N, payload: z.input<(typeof EVENTS)[N]>): void {
  void from.broadcast(name, payload);
}

/** Emits an event to one listener per service (balanced), its payload typed by its contract. */
export function emit<N extends EventName>(from: Pick<Context, "emit"> | ServiceBroker, name: N, payload: z.input<(typeof EVENTS)[N]>): void {
  void from.emit(name, payload);
}

type Parsed = { success: true; data: unknown } | { success: false; error: z.ZodError };

// Moleculer hands every listener of a node the same payload object for one event (one
// `queue.changed` reaches live, notifications, analytics and locations): it is parsed
// once, and the listeners share the result, frozen so that none can change what the
// others read. What a contract lets through unparsed (a loose object's other fields) is
// the sender's own object and is frozen with it: an event, once sent, is not changed.
// Parsing it again per listener was about 9% of a busy live node's CPU.
const parsedPayloads = new Map<EventName, WeakMap<object, Parsed>>();

function parsedOnce(name: EventName, payload: unknown): Parsed {
  if (typeof payload !== "object" || payload === null) return EVENTS[name].safeParse(payload);
  let parsedOfName = parsedPayloads.get(name);
  if (!parsedOfName) parsedPayloads.set(name, (parsedOfName = new WeakMap()));
  let parsed = parsedOfName.get(payload);
  if (!parsed) {
    parsed = EVENTS[name].safeParse(payload);
    if (parsed.success) deepFreeze(parsed.data);
    parsedOfName.set(payload, parsed);
  }
  return parsed;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** A service's handler for an event: the payload parsed by its contract first (once per payload on a node). */
export function listener<N extends EventName>(
  name: N,
  handle: (this: Service, payload: EventPayload<N>, ctx: Context<unknown>) => void | Promise<void>,
) {
  return function (this: Service, ctx: Context<unknown>): void | Promise<void> {
    const parsed = parsedOnce(name, ctx.params);
    if (!parsed.success) return void this.logger.warn({ issues: parsed.error.issues }, `malformed ${name} ignored`);
    return handle.call(this, parsed.data as EventPayload<N>, ctx);
  };
}
