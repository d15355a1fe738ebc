// The queue's own life: open ⇄ paused, either → closed, closed → open; and its policy.
// A closed queue remembers when it closed, so that opening it for the day can leave alone
// one that someone closed after the day's opening time.
// Closing expires whoever is still waiting — they will not be served today — while
// tickets already at a counter stay until they are finished.
import { accept, reject } from "./outcome.ts";
import { patchPolicy, policyProblem } from "./policy.ts";
import type { CommandOf, Decision, EventDraft, QueueState, QueueStatus, Ticket } from "./types.ts";

function move(state: QueueState, at: number, from: readonly QueueStatus[], to: QueueStatus, drafts: EventDraft[]): Decision {
  if (!from.includes(state.status)) {
    return reject("invalid_transition", `The queue cannot go from ${state.status} to ${to}.`);
  }
  return accept(state, at, { status: to }, drafts);
}

export const pause = (state: QueueState, cmd: CommandOf<"pause">) => move(state, cmd.at, ["open"], "paused", [{ type: "queue.paused" }]);
export const resume = (state: QueueState, cmd: CommandOf<"resume">) => move(state, cmd.at, ["paused"], "open", [{ type: "queue.resumed" }]);
export function reopen(state: QueueState, cmd: CommandOf<"open">): Decision {
  if (state.status !== "closed") return reject("invalid_transition", `The queue cannot go from ${state.status} to open.`);
  if (cmd.if_closed_before !== undefined && (state.closed_at ?? 0) >= cmd.if_closed_before) {
    return reject("invalid_transition", "The queue was closed since; it stays closed.");
  }
  const { closed_at: _closedAt, ...reopened } = state;
  return accept(reopened, cmd.at, { status: "open" }, [{ type: "queue.opened" }]);
}

export function close(state: QueueState, cmd: CommandOf<"close">): Decision {
  if (state.status === "closed") return reject("invalid_transition", "The queue cannot go from closed to closed.");
  const reason = cmd.reason ?? "queue closed";
  const drafts: EventDraft[] = [{ type: "queue.closed", reason }];
  const tickets: Ticket[] = [];
  for (const ticket of state.tickets) {
    if (ticket.status !== "waiting") tickets.push(ticket);
    else drafts.push({ type: "ticket.expired", ticket: { ...ticket, status: "expired", finished_at: cmd.at, reason } });
  }
  return accept(state, cmd.at, { status: "closed", closed_at: cmd.at, tickets }, drafts);
}

export function configure(state: QueueState, cmd: CommandOf<"configure">): Decision {
  if (typeof cmd.policy !== "object" || cmd.policy === null) return reject("invalid_command", "configure needs a policy object.");
  const policy = patchPolicy(state.policy, cmd.policy);
  const problem = policyProblem(policy);
  if (problem) return reject("invalid_policy", problem);
  return accept(state, cmd.at, { policy }, [{ type: "queue.configured", policy }]);
}
