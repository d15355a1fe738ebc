// The queue actor as a pure state machine: a command and the current state in, a new
// state and its events out (or a rejection). No clock, no randomness, no I/O — time and
// ids come with the commands — so a host can persist, replay and test it freely.
// decide never throws for a bad command and never mutates the state it is given.
import { issue, transferIn } from "./arrivals.ts";
import { call, callNext, noShow, recall } from "./calls.ts";
import { closeCounter, openCounter } from "./counters.ts";
import { cancel, settleTransfer, transferOut } from "./departures.ts";
import { isInstant } from "./numbering.ts";
import type { LineScan } from "./ordering.ts";
import { reject } from "./outcome.ts";
import { DEFAULT_POLICY, patchPolicy, policyProblem } from "./policy.ts";
import { close, configure, pause, reopen, resume } from "./queue-status.ts";
import { complete, start } from "./service.ts";
import { setNotifyNear } from "./turn-near.ts";
import type { Command, Decision, PolicyPatch, QueueState } from "./types.ts";

/** `line`: the head of `state`'s line at `cmd.at`, if the caller keeps one (line-head.ts):
 * call_next then takes its first ticket rather than reading the whole line. */
export function decide(state: QueueState, cmd: Command, line?: LineScan): Decision {
  const decision = decideUnattributed(state, cmd, line);
  if (!decision.ok || typeof cmd.by !== "string") return decision;
  return { ...decision, events: decision.events.map((event) => ({ ...event, by: cmd.by })) };
}

function decideUnattributed(state: QueueState, cmd: Command, line: LineScan | undefined): Decision {
  if (typeof cmd !== "object" || cmd === null || !isInstant(cmd.at)) {
    return reject("invalid_command", "A command needs a type and an `at` in epoch ms.");
  }
  switch (cmd.type) {
    case "issue": return issue(state, cmd);
    case "transfer_in": return transferIn(state, cmd);
    case "cancel": return cancel(state, cmd);
    case "set_notify_near": return setNotifyNear(state, cmd);
    case "call_next": return callNext(state, cmd, line);
    case "call": return call(state, cmd);
    case "recall": return recall(state, cmd);
    case "no_show": return noShow(state, cmd);
    case "start": return start(state, cmd);
    case "complete": return complete(state, cmd);
    case "transfer_out": return transferOut(state, cmd);
    case "transfer_settled": return settleTransfer(state, cmd);
    case "pause": return pause(state, cmd);
    case "resume": return resume(state, cmd);
    case "close": return close(state, cmd);
    case "open": return reopen(state, cmd);
    case "open_counter": return openCounter(state, cmd);
    case "close_counter": return closeCounter(state, cmd);
    case "configure": return configure(state, cmd);
    default: return reject("invalid_command", `Unknown command ${JSON.stringify((cmd as { type?: unknown }).type)}.`);
  }
}

export interface QueueConfig {
  queue_id: string;
  policy?: PolicyPatch;
}

/**
 * A new, open queue with no tickets and no counters. Throws a RangeError for a policy it
 * cannot use: that is a mistake in the caller's configuration, not a command to refuse.
 */
export function initialState({ queue_id, policy: patch = {} }: QueueConfig): QueueState {
  const policy = patchPolicy(DEFAULT_POLICY, patch);
  const problem = policyProblem(policy);
  if (problem) throw new RangeError(`Queue ${queue_id}: ${problem}`);
  return {
    queue_id,
    status: "open",
    version: 0,
    day: "",
    sequence: 0,
    policy,
    tickets: [],
    counters: [],
    service_ms: { queue: null, by_counter: {} },
    outbound: [],
  };
}
