// Who is called next.
//
// Every waiting ticket gets a rank time — the instant it is treated as having arrived —
// and the lowest rank is called first; ties go to the earlier issued_at, then the smaller
// id, so the order is total and the same on every replay.
//
//   priority class          issued_at - head_start_ms[priority]
//   appointment due now     min(issued_at, appointment_at) - appointment_head_start_ms
//     (due: appointment_at - appointment_window_ms <= at; if the class rank is earlier
//      still, that one counts, so checking in for an appointment never costs a place)
//   appointment not yet due its class rank
//
// Why head starts rather than separate lanes: a head start is bounded, so a ticket that
// has waited longer than the largest head start is ahead of every ticket issued after
// it — nobody starves, however many vip or priority tickets keep arriving. Strict lanes
// would let a steady stream of vip tickets hold a normal one forever. (A late check-in
// ranks from its appointment time, so it can pass earlier tickets, but only once.)
import type { QueuePolicy, Ticket } from "./types.ts";

export function rankTime(ticket: Ticket, policy: QueuePolicy, at: number): number {
  const byClass = ticket.issued_at - policy.head_start_ms[ticket.priority];
  const appointment = ticket.appointment_at;
  if (appointment === null || appointment - policy.appointment_window_ms > at) return byClass;
  return Math.min(byClass, Math.min(ticket.issued_at, appointment) - policy.appointment_head_start_ms);
}

function ahead(rankA: number, a: Ticket, rankB: number, b: Ticket): boolean {
  if (rankA !== rankB) return rankA < rankB;
  if (a.issued_at !== b.issued_at) return a.issued_at < b.issued_at;
  return a.id < b.id;
}

/** The waiting ticket call_next takes at `at`: one pass, no sort. */
export function nextInLine(tickets: readonly Ticket[], policy: QueuePolicy, at: number): Ticket | undefined {
  let best: Ticket | undefined;
  let bestRank = 0;
  for (const ticket of tickets) {
    if (ticket.status !== "waiting") continue;
    const rank = rankTime(ticket, policy, at);
    if (!best || ahead(rank, ticket, bestRank, best)) [best, bestRank] = [ticket, rank];
  }
  return best;
}

/** 1-based place of a waiting ticket in call order at `at`: one plus those ahead of it. */
export function placeInLine(tickets: readonly Ticket[], ticket: Ticket, policy: QueuePolicy, at: number): number {
  const rank = rankTime(ticket, policy, at);
  let place = 1;
  for (const other of tickets) {
    if (other.status === "waiting" && ahead(rankTime(other, policy, at), other, rank, ticket)) place++;
  }
  return place;
}

/** All waiting tickets in call order at `at`. */
export function callOrder(tickets: readonly Ticket[], policy: QueuePolicy, at: number): Ticket[] {
  return tickets
    .filter((ticket) => ticket.status === "waiting")
    .map((ticket) => ({ ticket, rank: rankTime(ticket, policy, at) }))
    .sort((a, b) => (ahead(a.rank, a.ticket, b.rank, b.ticket) ? -1 : ahead(b.rank, b.ticket, a.rank, a.ticket) ? 1 : 0))
    .map(({ ticket }) => ticket);
}
