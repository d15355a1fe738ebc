// The head of a queue's line, kept from one change to the next. Every change announces
// the first few waiting tickets and the citizens whose own "turn near" makes them near
// (queries.ts, announced); finding them is a pass over the whole line, and under
// call-next, with hundreds waiting in each queue, each pass read every ticket from memory
// (about 6% of a node's CPU). A change touches few tickets, and all of them are in its
// events (a replay of the journal relies on it too), so the head found at one change is
// brought up to date with those tickets alone, and the line is read again only when too
// few of the tickets kept are left, the policy changed, or an appointment came due.
import { ahead, comesDueAfter, insertRanked, rankTime, scanLine, type LineScan } from "./ordering.ts";
import type { QueuePolicy, QueueState, Ticket } from "./types.ts";

/** The head of the line as of `at`, under `policy`. */
export interface LineHead extends LineScan {
  at: number;
  policy: QueuePolicy;
}

/** How many tickets a head keeps: the line is read again after about this many calls. */
export const KEPT_IN_HEAD = 32;

/**
 * The head of the line at `at`, holding at least the first `first` waiting tickets (all
 * of them when fewer wait). `previous`: the head as an earlier change left it, and
 * `changed`: every ticket changed since, as it is now.
 */
export function headOfLine(state: QueueState, at: number, first: number, previous?: LineHead, changed: Iterable<Ticket> = [], kept = KEPT_IN_HEAD): LineHead {
  const moved = previous && movedOn(previous, state, at, first, changed, kept);
  return moved || { ...scanLine(state.tickets, state.policy, at, Math.max(first, kept)), at, policy: state.policy };
}

/** `previous` with the changed tickets taken out and put back where they now stand, or
 * null when the line must be read again. */
function movedOn(previous: LineHead, state: QueueState, at: number, first: number, changed: Iterable<Ticket>, kept: number): LineHead | null {
  const { policy } = state;
  if (previous.policy !== policy || at < previous.at || at >= previous.stableUntil) return null;
  const tickets = [...changed];
  const ids = new Set(tickets.map((ticket) => ticket.id));
  // What `ranked` holds stays exactly the line's first tickets: taking some out leaves the
  // rest in order, and a ticket now waiting goes in if it stands ahead of the last one kept
  // (or if the head held the whole line).
  const ranked = previous.ranked.filter((entry) => !ids.has(entry.ticket.id));
  const choosing = previous.choosing.filter((ticket) => !ids.has(ticket.id));
  let { whole, stableUntil } = previous;
  for (const ticket of tickets) {
    if (ticket.status !== "waiting") continue;
    if (ticket.notify_near) choosing.push(ticket);
    stableUntil = Math.min(stableUntil, comesDueAfter(ticket, policy, at));
    const rank = rankTime(ticket, policy, at);
    const last = ranked[ranked.length - 1];
    if (whole || (last && ahead(rank, ticket, last.rank, last.ticket))) insertRanked(ranked, { ticket, rank });
    else if (!last) return null; // nothing kept to place it against
  }
  if (ranked.length > kept) {
    ranked.length = kept;
    whole = false;
  }
  if (!whole && ranked.length < first) return null;
  return { ranked, whole, choosing, stableUntil, at, policy };
}
