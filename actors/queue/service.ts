// Serving a called ticket, and the observed duration that feeds the wait estimates.
import { recordService } from "./estimates.ts";
import { accept, isRejected, replaceTicket, settle, ticketFor } from "./outcome.ts";
import type { CommandOf, Decision, QueueState, Ticket } from "./types.ts";

export function start(state: QueueState, cmd: CommandOf<"start">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["called"], "serving");
  if (isRejected(ticket)) return ticket;
  const serving: Ticket = { ...ticket, status: "serving", started_at: cmd.at };
  return accept(state, cmd.at, { tickets: replaceTicket(state.tickets, serving) }, [{ type: "ticket.started", ticket: serving }]);
}

export function complete(state: QueueState, cmd: CommandOf<"complete">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["serving"], "completed");
  if (isRejected(ticket)) return ticket;
  const ended: Ticket = { ...ticket, status: "completed", finished_at: cmd.at };
  const service_ms = recordService(state.service_ms, ticket.counter_id, cmd.at - (ticket.started_at ?? cmd.at));
  const { target_wait_ms } = state.policy;
  return accept(state, cmd.at, { ...settle(state, ended), service_ms }, [
    { type: "ticket.completed", ticket: ended, ...(target_wait_ms === undefined ? {} : { target_wait_ms }) },
  ]);
}
