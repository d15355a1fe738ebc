// Read-only views of a queue for clients, displays and consoles. They take `at` because
// whether a check-in is due — and so the order itself — depends on the time of asking.
import { openCounters, serviceEstimate, serviceTime, waitFor } from "./estimates.ts";
import { firstInLine, placeInLine, placesInLine, scanLine, type LineScan } from "./ordering.ts";
import { isNear } from "./turn-near.ts";
import type { AnnouncedEntry, NowServing, QueueSnapshot, QueueState, Ticket } from "./types.ts";

/** How many tickets a snapshot lists ahead: what a lobby screen has room for. */
export const SNAPSHOT_NEXT = 10;

/** 1-based place among waiting tickets, or null when the ticket is not waiting here. */
export function position(state: QueueState, ticketId: string, at: number): number | null {
  const ticket = state.tickets.find((t) => t.id === ticketId);
  if (!ticket || ticket.status !== "waiting") return null;
  return placeInLine(state.tickets, ticket, state.policy, at);
}

/** Expected wait in ms before the ticket is called, or null when it is not waiting. */
export function estimatedWait(state: QueueState, ticketId: string, at: number): number | null {
  const place = position(state, ticketId, at);
  return place === null ? null : waitFor(place, openCounters(state), serviceTime(state));
}

export function snapshot(state: QueueState, at: number): QueueSnapshot {
  const next = firstInLine(state.tickets, state.policy, at, SNAPSHOT_NEXT);
  const counters = openCounters(state);
  const estimate = serviceEstimate(state);
  const service = estimate.service_ms;
  const now_serving: NowServing[] = [];
  for (const counter of state.counters) {
    const ticket = counter.ticket_id === null ? undefined : state.tickets.find((t) => t.id === counter.ticket_id);
    if (!ticket || (ticket.status !== "called" && ticket.status !== "serving")) continue;
    now_serving.push({ counter_id: counter.id, counter_name: counter.name, ticket_id: ticket.id, number: ticket.number, status: ticket.status });
  }
  return {
    queue_id: state.queue_id,
    status: state.status,
    version: state.version,
    day: state.day,
    waiting_count: state.tickets.reduce((count, ticket) => count + (ticket.status === "waiting" ? 1 : 0), 0),
    now_serving,
    next: next.map((ticket, i) => ({
      ticket_id: ticket.id,
      number: ticket.number,
      position: i + 1,
      estimated_wait_ms: waitFor(i + 1, counters, service),
    })),
    counters: state.counters.map((counter) => ({ ...counter })),
    estimate,
  };
}

/**
 * The waiting tickets a change announces: the first `first` in call order (the office's
 * default "turn near" is among them), and any further one whose citizen's own choice
 * makes it near now. `line`: the head of the line at `at`, if the caller keeps one
 * (line-head.ts), holding at least the first `first`.
 */
export function announced(state: QueueState, at: number, first: number, line: LineScan = scanLine(state.tickets, state.policy, at, first)): AnnouncedEntry[] {
  const counters = openCounters(state);
  const service = serviceTime(state);
  const entry = (ticket: Ticket, position: number): AnnouncedEntry => ({
    ticket_id: ticket.id, number: ticket.number, position, estimated_wait_ms: waitFor(position, counters, service), user_id: ticket.user_id, notify_near: ticket.notify_near ?? null,
  });
  const head = line.ranked.slice(0, first).map(({ ticket }) => ticket);
  const choosing = line.choosing.filter((ticket) => !head.some((other) => other.id === ticket.id));
  const further = [...placesInLine(state.tickets, choosing, state.policy, at)]
    .map(([ticket, position]) => entry(ticket, position))
    .filter((near) => isNear(near, near.notify_near, 0));
  return [...head.map((ticket, i) => entry(ticket, i + 1)), ...further];
}
