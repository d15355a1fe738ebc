// Tickets leaving before service: cancelled by the citizen or an agent, or sent on to
// another queue. A ticket being served cannot leave this way: it is completed.
import { accept, isRejected, reject, settle, ticketFor } from "./outcome.ts";
import { position } from "./queries.ts";
import type { CommandOf, Decision, OutboundTransfer, QueueState, Ticket } from "./types.ts";

export function cancel(state: QueueState, cmd: CommandOf<"cancel">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["waiting", "called"], "cancelled");
  if (isRejected(ticket)) return ticket;
  const ended: Ticket = { ...ticket, status: "cancelled", finished_at: cmd.at, reason: cmd.reason ?? null };
  const place = position(state, ticket.id, cmd.at);
  return accept(state, cmd.at, settle(state, ended), [{ type: "ticket.cancelled", ticket: ended, ...(place === null ? {} : { position: place }) }]);
}

/**
 * The event carries the whole ticket: the host hands it to the target's transfer_in. The
 * ticket stays in `outbound` until the target's arrival is settled here (or it comes back).
 */
export function transferOut(state: QueueState, cmd: CommandOf<"transfer_out">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["waiting", "called"], "transferred");
  if (isRejected(ticket)) return ticket;
  if (cmd.to_queue_id === state.queue_id) {
    return reject("invalid_command", `Ticket ${ticket.number} is already in queue ${state.queue_id}.`);
  }
  const ended: Ticket = { ...ticket, status: "transferred", finished_at: cmd.at };
  const outbound: OutboundTransfer[] = [...(state.outbound ?? []), { ticket: ended, to_queue_id: cmd.to_queue_id, at: cmd.at }];
  return accept(state, cmd.at, { ...settle(state, ended), outbound }, [{ type: "ticket.transferred_out", ticket: ended, to_queue_id: cmd.to_queue_id }]);
}

export function settleTransfer(state: QueueState, cmd: CommandOf<"transfer_settled">): Decision {
  const sent = (state.outbound ?? []).find((o) => o.ticket.id === cmd.ticket_id);
  if (!sent) return reject("ticket_not_found", `No transfer of ticket ${cmd.ticket_id} is waiting to be settled.`);
  const outbound = state.outbound!.filter((o) => o !== sent);
  return accept(state, cmd.at, { outbound }, [{ type: "transfer.settled", ticket_id: cmd.ticket_id, to_queue_id: sent.to_queue_id }]);
}
