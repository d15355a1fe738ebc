// The contract of `queue.changed`: what a queue's owner broadcasts once per durable group
// commit, and what every listener (live channels, notifications) reads. One schema for
// both sides: the host builds its payload to this type, listeners parse it with this
// schema and refuse what does not parse.
import { z } from "zod";
import { NEAR_CHANNELS } from "../queue/index.ts";

/** The fields of an event that listeners read; the rest travels on to clients untouched. */
const ChangedEvent = z
  .object({
    type: z.string(),
    queue_id: z.string(),
    version: z.number().int(),
    ticket: z.object({ id: z.string(), user_id: z.string().nullable() }).loose().optional(),
    counter_name: z.string().optional(),
    /** The staff member who gave the command (analytics counts per agent). */
    by: z.string().optional(),
    /** A cancelled ticket's place in line when it left, if it was waiting (analytics counts abandonment by it). */
    position: z.number().int().optional(),
    /** A completed ticket's queue's own target wait, if it has one (analytics counts the served within it). */
    target_wait_ms: z.number().optional(),
  })
  .loose();

/** How a citizen chose to hear that their turn is near (actors/queue/turn-near.ts). */
export const NearPreference = z.object({
  by: z.enum(["position", "minutes"]),
  within: z.number().int().min(1),
  channels: z.array(z.enum(NEAR_CHANNELS)).min(1),
});

/** A waiting ticket a change announces (one of the first, or near by its citizen's own
 * choice), with its owner, for "your turn is near". */
const NextTicket = z.object({
  ticket_id: z.string(),
  number: z.string(),
  user_id: z.string().nullable(),
  position: z.number().int(),
  estimated_wait_ms: z.number(),
  // Optional: a node from before preferences existed does not send it.
  notify_near: NearPreference.nullable().optional(),
});

export const QueueChanged = z.object({
  queue_id: z.string(),
  organization_id: z.string(),
  branch_id: z.string().nullable(),
  from_version: z.number().int(),
  version: z.number().int(),
  /** The journal commit this change is (its seq): a listener that missed changes reads the
   * commits between from the journal. Optional: a node from before it does not send it. */
  seq: z.number().int().min(1).optional(),
  events: z.array(ChangedEvent).min(1),
  next: z.array(NextTicket),
  sent_at: z.number(),
});

export type QueueChanged = z.output<typeof QueueChanged>;
export type ChangedEvent = z.output<typeof ChangedEvent>;
export type NextTicket = z.output<typeof NextTicket>;
