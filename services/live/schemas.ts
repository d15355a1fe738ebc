// The few messages a live client may send, parsed with zod like every other input: what
// does not parse is refused, never half-used. (What live hears from other services is in
// services/events.ts.)
import { z } from "zod";

const Ping = z.object({ type: z.literal("ping") }).strict();
const Resync = z.object({ type: z.literal("resync") }).strict();

/** A queue watcher may ask for a fresh snapshot when it sees a gap in versions. */
export const QueueClientMessage = z.discriminatedUnion("type", [Ping, Resync]);
/** A queue channel's query: `?since=<version>` from a screen coming back (no sign, no exponent). */
export const QueueChannelQuery = z.object({
  since: z
    .string()
    .regex(/^\d{1,15}$/, "the queue version last seen: a whole number from 0")
    .transform(Number)
    .optional(),
});
/** A location follower, too, may ask for a fresh snapshot when it sees a gap in versions. */
export const LocationClientMessage = QueueClientMessage;
/** The notification channel has no state to resync: it only answers pings. */
export const NotificationClientMessage = Ping;

export type ClientMessage = z.output<typeof QueueClientMessage>;
