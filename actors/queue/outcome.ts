// How a command ends: accepted with a new state and its events, or rejected with a code.
// Also the few state edits every handler needs. Each edit copies the array it changes
// once and never touches the objects of the previous state, which stays valid as it was.
import type {
  Counter, Decision, ErrorCode, EventDraft, QueueEvent, QueueState, Rejected, Ticket, TicketStatus,
} from "./types.ts";

export function reject(code: ErrorCode, message: string): Rejected {
  return { ok: false, error: { code, message } };
}

/** A new state one version on, with every event stamped by queue, version and time. */
export function accept(state: QueueState, at: number, changes: Partial<QueueState>, drafts: EventDraft[]): Decision {
  const version = state.version + 1;
  const events = drafts.map((draft) => Object.assign({ type: draft.type, queue_id: state.queue_id, version, at }, draft) as QueueEvent);
  return { ok: true, state: { ...state, ...changes, version }, events };
}

export function findTicket(state: QueueState, id: string): Ticket | undefined {
  return state.tickets.find((ticket) => ticket.id === id);
}

/** The ticket, if it may go to `to` from where it is now. */
export function ticketFor(state: QueueState, id: string, from: readonly TicketStatus[], to: TicketStatus): Ticket | Rejected {
  const ticket = findTicket(state, id);
  if (!ticket) return reject("ticket_not_found", `No open ticket ${id} in this queue.`);
  if (!from.includes(ticket.status)) {
    return reject("invalid_transition", `Ticket ${ticket.number} cannot go from ${ticket.status} to ${to}.`);
  }
  return ticket;
}

export function replaceTicket(tickets: readonly Ticket[], changed: Ticket): Ticket[] {
  const copy = tickets.slice();
  copy[copy.findIndex((ticket) => ticket.id === changed.id)] = changed;
  return copy;
}

export function setCounter(counters: readonly Counter[], id: string, change: Partial<Counter>): Counter[] {
  return counters.map((counter) => (counter.id === id ? { ...counter, ...change } : counter));
}

/** Takes a ticket that reached a final status out of the state and frees its counter. */
export function settle(state: QueueState, ended: Ticket): Pick<QueueState, "tickets" | "counters"> {
  const tickets = state.tickets.slice();
  tickets.splice(tickets.findIndex((ticket) => ticket.id === ended.id), 1);
  const holder = state.counters.find((counter) => counter.ticket_id === ended.id);
  const counters = holder ? setCounter(state.counters, holder.id, { ticket_id: null }) : state.counters;
  return { tickets, counters };
}

export const isRejected = (value: object): value is Rejected => "error" in value && (value as Rejected).ok === false;
