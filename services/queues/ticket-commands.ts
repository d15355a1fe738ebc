// What a staff member or a citizen does to one ticket, as the REST handlers delegate it:
// find it as it is now (if the caller may see it), send a staff command to the queue that
// holds it, transfer it, or answer a repeated issuance with the ticket already issued.
import type { Context } from "moleculer";
import type { Model } from "mongoose";
import type { TicketDoc } from "../../actors/host/store.ts";
import { readTicketRow } from "../../actors/host/ticket-ends.ts";
import { currentUser, isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import type { Stored } from "../../mixins/db/wire.ts";
import { sendCommand } from "./actor-calls.ts";
import { findQueue } from "./queue-access.ts";
import type { QueueCache } from "./queue-cache.ts";
import type { QueueDoc } from "./store.ts";
import { findTicket, queueOfTicket, type FoundTicket } from "./ticket-lookup.ts";
import { canSeeTicket, ticketIn, ticketToWire } from "./tickets.ts";
import { deliver } from "./transfers.ts";

/** Who a command is given by, as the queue records it: staff by their user id (analytics
 * counts per agent from it); a citizen's own command names nobody. */
export const givenBy = (user: AuthUser): { by?: string } => (user.role === "citizen" ? {} : { by: user.id });

export function ticketCommands(tickets: Model<TicketDoc>, queues: QueueCache) {
  /** A ticket as it is now, if the caller may see it (others' tickets answer 404). */
  async function visibleTicket(ctx: Context<unknown, CallMeta>, id: string): Promise<FoundTicket> {
    const user = currentUser(ctx); // 401 before any lookup: an anonymous caller learns nothing
    const found = await findTicket(ctx, tickets, queues, id);
    if (!found || !canSeeTicket(user, { user_id: found.ticket.user_id, organization_id: found.organization_id })) throw errors.notFound("Ticket");
    return found;
  }

  /**
   * A ticket command by staff of the ticket's organisation; answers the changed ticket.
   * It goes to the queue its id names, with no read: that owner holds every open ticket it
   * issued. Only when that owner answers 404 (the ticket was transferred away or has ended;
   * or, calling it, the counter is another queue's) is the read-model row asked which queue
   * it is in now. Transfers stay within an organisation, so the issuing queue's
   * organisation is the ticket's.
   */
  async function staffTicketCommand(ctx: Context<unknown, CallMeta>, id: string, command: Record<string, unknown> & { type: string }) {
    const issuing = await queueOfTicket(queues, null, id);
    if (!issuing || !isStaffOf(currentUser(ctx), issuing.organization_id)) {
      await visibleTicket(ctx, id); // 404 for a ticket the caller may not even see
      throw errors.forbidden("operate tickets");
    }
    const commandIn = async (queue: Stored<QueueDoc>) => {
      const reply = await sendCommand(ctx, String(queue._id), { ...command, ticket_id: id, ...givenBy(currentUser(ctx)) } as never);
      return ticketToWire(ticketIn(reply.events, id)!, queue);
    };
    try {
      return await commandIn(issuing);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const now = await queueOfTicket(queues, await readTicketRow(tickets, id, { queue_id: 1 }), id);
      if (!now || String(now._id) === String(issuing._id) || !isStaffOf(currentUser(ctx), now.organization_id)) throw err;
      return commandIn(now);
    }
  }

  /** A ticket issued already under this id (a repeated key or check-in), as it is now. */
  async function alreadyIssued(ctx: Context<unknown, CallMeta>, id: string) {
    const found = await findTicket(ctx, tickets, queues, id);
    return found && ticketToWire(found.ticket, found);
  }

  /** Out of one queue, then into the other, keeping its number and original issue time. */
  async function transfer(ctx: Context<unknown, CallMeta>, id: string, toQueueId: string) {
    const found = await visibleTicket(ctx, id);
    if (!isStaffOf(currentUser(ctx), found.organization_id)) throw errors.forbidden("transfer tickets");
    const target = await findQueue(queues, toQueueId);
    if (target.organization_id !== found.organization_id) throw errors.validation([{ path: "body.queue_id", message: "must be a queue of the same organisation" }]);
    const fromQueueId = found.ticket.queue_id;
    const out = await sendCommand(ctx, fromQueueId, { type: "transfer_out", ticket_id: id, to_queue_id: toQueueId, ...givenBy(currentUser(ctx)) });
    // From here the source holds the ticket as outbound until deliver settles it; if this
    // node dies first, the source's owner completes it (transfers.ts).
    return ticketToWire(await deliver(ctx, fromQueueId, ticketIn(out.events, id)!, toQueueId), target);
  }

  return { visibleTicket, staffTicketCommand, alreadyIssued, transfer };
}

export type TicketCommands = ReturnType<typeof ticketCommands>;

/** The owner's answer to a command on a ticket (or, calling it, a counter) it does not hold. */
function isNotFound(err: unknown): boolean {
  const { code, type } = err as { code?: number; type?: string };
  return code === 404 && type === "not_found";
}

/** The actor answered a command without the ticket it was about: the store lost it. */
export function throwUnavailable(): never {
  throw errors.unavailable("The ticket store");
}
