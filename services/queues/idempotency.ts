// Idempotency-Key for ticket creation: the first request with a key claims it (a
// unique-key insert, atomic on MongoDB and FerretDB) together with the ticket id it will
// issue; every later request with the key gets that same id back, marked as a repeat, and
// answers that ticket as it is now (services/queues/queues.service.ts), so one key never
// makes a second ticket, even long after the first one ended.
import { errors } from "../../mixins/api/errors.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { QueuesStore } from "./store.ts";
import { newTicketId } from "./ticket-ids.ts";

const MAX_KEY_LENGTH = 200;

export interface TicketIdClaim {
  ticket_id: string;
  /** The key was used before: the ticket may exist already. */
  repeated: boolean;
}

/** The ticket id to issue for this request: new, or the one its key already holds. */
export async function ticketIdFor(store: QueuesStore, owner: string, key: string | undefined, queueId: string): Promise<TicketIdClaim> {
  const fresh = newTicketId(queueId);
  if (key === undefined) return { ticket_id: fresh, repeated: false };
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw errors.validation([{ path: "headers.idempotency-key", message: `must be 1 to ${MAX_KEY_LENGTH} characters` }]);
  }
  const id = `${owner}:${key}`;
  if (await claimOnce(store.idempotency, id, { ticket_id: fresh, queue_id: queueId })) return { ticket_id: fresh, repeated: false };
  const earlier = await store.idempotency.findById(id).lean();
  if (!earlier) throw errors.unavailable("The idempotency store");
  if (earlier.queue_id !== queueId) throw errors.conflict("This Idempotency-Key was already used for another queue.", { field: "Idempotency-Key" });
  return { ticket_id: earlier.ticket_id, repeated: true };
}
