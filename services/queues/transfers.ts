// A transfer is two commands on two queues: transfer_out in the source (which records the
// ticket as on its way out), then transfer_in in the target, then transfer_settled back in
// the source. The node running it may die between the steps; the source's actor then
// hands the stranded transfer to completeStranded, on whichever node owns the source.
// Both paths end the same way: the ticket in the target, or back in the source with its
// number and issue time, never in neither.
import type { Model } from "mongoose";
import type { TicketDoc } from "../../actors/host/store.ts";
import { readTicketRow } from "../../actors/host/ticket-ends.ts";
import type { OutboundTransfer, Ticket } from "../../actors/queue/index.ts";
import { isRefusal, readView, sendCommand, type Caller } from "./actor-calls.ts";
import type { TicketView } from "./ticket-lookup.ts";
import { ticketIn } from "./tickets.ts";

/** Moves a ticket the source has already sent out; answers it as the target holds it. */
export async function deliver(ctx: Caller, fromQueueId: string, moved: Ticket, toQueueId: string): Promise<Ticket> {
  let arrived: Ticket;
  try {
    const into = await sendCommand(ctx, toQueueId, { type: "transfer_in", ticket: moved, from_queue_id: fromQueueId });
    arrived = ticketIn(into.events, moved.id) ?? into.existing ?? moved;
  } catch (err) {
    // The target refused it (e.g. closed meanwhile): back where it was. Should that fail
    // too, the ticket stays outbound and the source's owner sends it back later; the
    // caller hears the refusal either way.
    if (isRefusal(err)) await sendCommand(ctx, fromQueueId, { type: "transfer_in", ticket: moved, from_queue_id: toQueueId }).catch(() => undefined);
    throw err;
  }
  await settle(ctx, fromQueueId, moved.id);
  return arrived;
}

/** A transfer found outstanding in its source long after it began: finish it, or undo it. */
export async function completeStranded(ctx: Caller, tickets: Model<TicketDoc>, fromQueueId: string, transfer: OutboundTransfer): Promise<void> {
  const { ticket, to_queue_id: toQueueId } = transfer;
  if (await arrivedIn(ctx, tickets, toQueueId, ticket.id)) return settle(ctx, fromQueueId, ticket.id);
  await deliver(ctx, fromQueueId, ticket, toQueueId).catch((err) => {
    if (!isRefusal(err)) throw err; // put back already when refused; retried later otherwise
  });
}

/** Whether the target holds the ticket, or held it and it has ended there. */
async function arrivedIn(ctx: Caller, tickets: Model<TicketDoc>, queueId: string, ticketId: string): Promise<boolean> {
  const fresh = await readView<TicketView>(ctx, queueId, "ticket", ticketId);
  if (fresh.ticket) return true;
  const row = await readTicketRow<Pick<TicketDoc, "queue_id" | "status">>(tickets, ticketId, { queue_id: 1, status: 1 });
  return row?.queue_id === queueId && row.status !== "transferred";
}

/** The source forgets the transfer; already settled (by the other path) is fine. */
async function settle(ctx: Caller, fromQueueId: string, ticketId: string): Promise<void> {
  await sendCommand(ctx, fromQueueId, { type: "transfer_settled", ticket_id: ticketId }).catch((err) => {
    if ((err as { code?: number }).code !== 404) throw err;
  });
}
