// What the queue engine says of a shared ticket, asked through the queues service's
// actions, never its collections: as the caller when they share it, of its queue's owner
// afterwards.
import type { Context } from "moleculer";
import { errors } from "../../mixins/api/errors.ts";
import type { ArrivalShare } from "./arrival-shares.ts";
import { callOf, type Caller } from "./caller.ts";
import type { Mode } from "./speed-profile.ts";

/** While a ticket waits or is called, its citizen may be on their way. */
const ON_THE_WAY = new Set(["waiting", "called"]);

export interface TicketNow {
  number: string;
  status: string;
  channel: string;
  /** The engine's estimate of the wait until it is called; null once it is not waiting. */
  estimated_wait_ms: number | null;
}

interface OwnerView {
  ticket: { number: string; status: string; channel: string } | null;
  estimated_wait_ms: number | null;
}

/** The ticket as its queue's owner has it; null when that queue no longer holds it (ended, transferred, deleted). */
export async function ticketNow(caller: Caller, share: Pick<ArrivalShare, "queue_id" | "ticket_id">): Promise<TicketNow | null> {
  try {
    const view = await callOf(caller)<OwnerView, object>("queues.actorView", { queue_id: share.queue_id, view: "ticket", ticket_id: share.ticket_id });
    return view.ticket && { number: view.ticket.number, status: view.ticket.status, channel: view.ticket.channel, estimated_wait_ms: view.estimated_wait_ms };
  } catch (err) {
    if ((err as { type?: string }).type === "not_found") return null;
    throw err;
  }
}

export const isOnTheWay = (ticket: TicketNow | null): ticket is TicketNow => ticket !== null && ON_THE_WAY.has(ticket.status);

/** The shares whose ticket still waits or is called. */
export async function openShares(caller: Caller, shares: readonly ArrivalShare[]): Promise<ArrivalShare[]> {
  const open = await Promise.all(shares.map(async (share) => isOnTheWay(await ticketNow(caller, share))));
  return shares.filter((_, i) => open[i]);
}

interface WireTicket {
  id: string;
  queue_id: string;
  status: string;
  user_id: string | null;
  organization_id: string;
  branch_id: string | null;
}

/** The share a caller makes for one of their own tickets, asked of queues as them (someone else's ticket is not found). */
export async function newShare(ctx: Context, userId: string, ticketId: string, mode: Mode, since: Date): Promise<ArrivalShare> {
  const ticket = await ctx.call<WireTicket, object>("queues.getTicket", { params: { id: ticketId }, query: {}, body: undefined });
  // Staff see their organisation's tickets, but only its holder shares their own arrival.
  if (ticket.user_id !== userId) throw errors.notFound("Ticket");
  if (!ON_THE_WAY.has(ticket.status)) throw errors.conflict(`This ticket is ${ticket.status}: there is no arrival left to share.`, { status: ticket.status });
  if (!ticket.branch_id) throw errors.conflict("This ticket's queue is at no branch: there is no office to share an arrival with.");
  return { ticket_id: ticket.id, queue_id: ticket.queue_id, organization_id: ticket.organization_id, branch_id: ticket.branch_id, mode, since };
}
