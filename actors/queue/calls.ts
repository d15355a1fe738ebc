// Calling tickets to counters: the next in line or a chosen one, recalls, and the
// no-show that may only follow the recalls a citizen is owed.
import { nextInLine, type LineScan } from "./ordering.ts";
import { accept, isRejected, reject, replaceTicket, setCounter, settle, ticketFor } from "./outcome.ts";
import type { CommandOf, Counter, Decision, QueueState, Rejected, Ticket } from "./types.ts";

/** The counter a call may go to, or why not. Paused and closed queues call nobody. */
function counterFree(state: QueueState, counterId: string): Counter | Rejected {
  if (state.status === "closed") return reject("queue_closed", "The queue is closed.");
  if (state.status === "paused") return reject("queue_paused", "The queue is paused; resume it to call tickets.");
  const counter = state.counters.find((c) => c.id === counterId);
  if (!counter) return reject("counter_not_found", `No counter ${counterId} in this queue.`);
  if (!counter.open) return reject("counter_closed", `Counter ${counter.name} is closed; open it first.`);
  if (counter.ticket_id !== null) {
    return reject("counter_busy", `Counter ${counter.name} already has a ticket; start, complete or release it first.`);
  }
  return counter;
}

function callTo(state: QueueState, ticket: Ticket, counter: Counter, at: number): Decision {
  // Only a waiting ticket is called, once per queue: this call ends its wait.
  const called: Ticket = { ...ticket, status: "called", called_at: at, first_called_at: at, counter_id: counter.id };
  return accept(
    state,
    at,
    { tickets: replaceTicket(state.tickets, called), counters: setCounter(state.counters, counter.id, { ticket_id: called.id }) },
    [{ type: "ticket.called", ticket: called, counter_name: counter.name }],
  );
}

/** `line`: the head of the line at `cmd.at`, if the caller keeps one. */
export function callNext(state: QueueState, cmd: CommandOf<"call_next">, line?: LineScan): Decision {
  const counter = counterFree(state, cmd.counter_id);
  if (isRejected(counter)) return counter;
  const ticket = line ? line.ranked[0]?.ticket : nextInLine(state.tickets, state.policy, cmd.at);
  if (!ticket) return reject("queue_empty", "Nobody is waiting.");
  return callTo(state, ticket, counter, cmd.at);
}

export function call(state: QueueState, cmd: CommandOf<"call">): Decision {
  const counter = counterFree(state, cmd.counter_id);
  if (isRejected(counter)) return counter;
  const ticket = ticketFor(state, cmd.ticket_id, ["waiting"], "called");
  if (isRejected(ticket)) return ticket;
  return callTo(state, ticket, counter, cmd.at);
}

export function recall(state: QueueState, cmd: CommandOf<"recall">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["called"], "called");
  if (isRejected(ticket)) return ticket;
  // called_at moves so a no-show sweep measures from the latest call, not the first.
  const recalled: Ticket = { ...ticket, recalls: ticket.recalls + 1, called_at: cmd.at };
  const counterName = state.counters.find((c) => c.id === ticket.counter_id)?.name ?? "";
  return accept(state, cmd.at, { tickets: replaceTicket(state.tickets, recalled) }, [
    { type: "ticket.recalled", ticket: recalled, counter_name: counterName },
  ]);
}

export function noShow(state: QueueState, cmd: CommandOf<"no_show">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["called"], "no_show");
  if (isRejected(ticket)) return ticket;
  const owed = state.policy.max_recalls - ticket.recalls;
  if (owed > 0) return reject("recalls_remaining", `Recall ticket ${ticket.number} ${owed} more time(s) before marking it a no-show.`);
  const ended: Ticket = { ...ticket, status: "no_show", finished_at: cmd.at };
  return accept(state, cmd.at, settle(state, ended), [{ type: "ticket.no_show", ticket: ended }]);
}
