// What the live service takes in: the queue engine's `queue.changed` payload and the few
// messages a client may send. Both are parsed with zod like every other input; what does
// not parse is refused, never half-used.
import { z } from "zod";

/** The fields of an event that live reads; the rest travels on to clients untouched. */
const ChangedEvent = z
  .object({
    type: z.string(),
    queue_id: z.string(),
    version: z.number().int(),
    ticket: z.object({ id: z.string(), user_id: z.string().nullable() }).loose().optional(),
    counter_name: z.string().optional(),
  })
  .loose();

const NextTicket = z.object({
  ticket_id: z.string(),
  number: z.string(),
  user_id: z.string().nullable(),
  position: z.number().int(),
  estimated_wait_ms: z.number(),
});

/** Broadcast by the queue engine once per queue per durable group commit. */
export const QueueChanged = z.object({
  queue_id: z.string(),
  organization_id: z.string(),
  branch_id: z.string().nullable(),
  from_version: z.number().int(),
  version: z.number().int(),
  events: z.array(ChangedEvent).min(1),
  next: z.array(NextTicket),
  sent_at: z.number(),
});

export type QueueChanged = z.output<typeof QueueChanged>;
export type ChangedEvent = z.output<typeof ChangedEvent>;
export type NextTicket = z.output<typeof NextTicket>;

/** Broadcast by the notifications service for each in-app notification it creates. */
export const NotificationCreated = z.object({
  user_id: z.string(),
  notification: z.object({ id: z.string(), event: z.string() }).loose(),
});

const Ping = z.object({ type: z.literal("ping") }).strict();
const Resync = z.object({ type: z.literal("resync") }).strict();

/** A queue watcher may ask for a fresh snapshot when it sees a gap in versions. */
export const QueueClientMessage = z.discriminatedUnion("type", [Ping, Resync]);
/** The notification channel has no state to resync: it only answers pings. */
export const NotificationClientMessage = Ping;

export type ClientMessage = z.output<typeof QueueClientMessage>;
