// Finding a ticket as it is now. The read model is written behind the acknowledgement,
// so an open ticket, or one a command changed a moment ago, is answered by its queue's
// owner; an ended ticket, which no longer changes, by the read model alone.
import type { Context } from "moleculer";
import type { Model } from "mongoose";
import type { TicketDoc } from "../../actors/host/store.ts";
import { readTicketRow } from "../../actors/host/ticket-ends.ts";
import type { Stored } from "../../mixins/db/wire.ts";
import { ENDED_STATUSES, type Ticket } from "../../actors/queue/index.ts";
import { readView } from "./actor-calls.ts";
import type { QueueCache } from "./queue-cache.ts";
import type { QueueDoc } from "./store.ts";
import { issuingQueueOf } from "./ticket-ids.ts";
import { ticketOfRow } from "./tickets.ts";

/** What the owner answers about one ticket (the `ticket` actor view). */
export interface TicketView {
  ticket: Ticket | null;
  position: number | null;
  estimated_wait_ms: number | null;
}

export interface FoundTicket extends TicketView {
  ticket: Ticket;
  organization_id: string;
  branch_id: string | null;
}

/** The queue a ticket is in: its row's (by _id), or, not yet projected, the one its id names. */
export async function queueOfTicket(queues: QueueCache, row: Pick<TicketDoc, "queue_id"> | null, id: string): Promise<Stored<QueueDoc> | null> {
  const queueId = row?.queue_id ?? issuingQueueOf(id);
  return queueId ? queues.get(queueId) : null;
}

export async function findTicket(ctx: Context, tickets: Model<TicketDoc>, queues: QueueCache, id: string): Promise<FoundTicket | null> {
  const row = await readTicketRow(tickets, id);
  if (row && ENDED_STATUSES.has(row.status)) return fromRow(row);
  const queue = await queueOfTicket(queues, row, id);
  if (!queue) return row ? fromRow(row) : null;
  const view = await readView<TicketView>(ctx, String(queue._id), "ticket", id);
  if (!view.ticket) {
    // The owner forgets a ticket once it ended and its row is written, which may have
    // happened since `row` was read: read it again rather than answer the older version.
    const projected = await readTicketRow(tickets, id);
    return projected ? fromRow(projected) : null;
  }
  return { ...view, ticket: view.ticket, organization_id: queue.organization_id, branch_id: queue.branch_id };
}

function fromRow(row: TicketDoc): FoundTicket {
  return { ...ticketOfRow(row), position: null, estimated_wait_ms: null };
}
