// Random command sequences for property tests: a small pool of ticket and counter ids so
// commands collide often (duplicates, wrong statuses, busy counters), times that never go
// back, and the odd long gap that crosses local midnight. Most ticket commands name an
// open ticket in the status they expect, picked when the plan is replayed — random ids
// alone would almost never get a ticket as far as completed or no_show.
import fc from "fast-check";
import {
  CHANNELS, decide, initialState, PRIORITY_CLASSES,
  type Command, type Decision, type QueueState, type TransferredTicket,
} from "../../actors/queue/index.ts";
import { HOUR, MINUTE, MORNING } from "./queue-fixtures.ts";

const TICKETS = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"];
const COUNTERS = ["c1", "c2", "c3"];

const ticket_id = fc.constantFrom(...TICKETS);
/** A pool id, or the n-th open ticket in a fitting status at replay time. */
const ticket_ref = fc.oneof({ weight: 1, arbitrary: ticket_id }, { weight: 4, arbitrary: fc.nat() });
const counter_id = fc.oneof({ weight: 4, arbitrary: fc.constantFrom("c1", "c2") }, { weight: 1, arbitrary: fc.constantFrom(...COUNTERS) });
const priority = fc.constantFrom(...PRIORITY_CLASSES);
const channel = fc.constantFrom(...CHANNELS);
const minutesAround = fc.option(fc.integer({ min: -90, max: 90 }), { nil: undefined });

/** A command body; times relative to the command's own `at` are resolved by `materialise`. */
type Body =
  | { type: "issue"; ticket_id: string; channel: (typeof CHANNELS)[number]; priority: (typeof PRIORITY_CLASSES)[number]; appointment_in?: number }
  | { type: "transfer_in"; ticket_id: string; priority: (typeof PRIORITY_CLASSES)[number]; issued_ago: number }
  | { type: TicketCommand; ticket_ref: string | number; counter_id?: string; to_queue_id?: string }
  | Exclude<DistributiveOmit<Command, "at">, { type: "issue" | "transfer_in" | TicketCommand }>;
type TicketCommand = keyof typeof EXPECTED;

/** The status each ticket command is meant for, to steer a numeric ticket_ref. */
const EXPECTED = {
  cancel: "waiting", call: "waiting", transfer_out: "waiting", recall: "called", no_show: "called", start: "called", complete: "serving",
} as const;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ type: fc.constant("issue" as const), ticket_id, channel, priority, appointment_in: minutesAround }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("transfer_in" as const), ticket_id, priority, issued_ago: fc.integer({ min: 0, max: 120 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("cancel" as const), ticket_ref }) },
  { weight: 10, arbitrary: fc.record({ type: fc.constant("call_next" as const), counter_id }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("call" as const), ticket_ref, counter_id }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant("recall" as const), ticket_ref }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant("no_show" as const), ticket_ref }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant("start" as const), ticket_ref }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant("complete" as const), ticket_ref }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("transfer_out" as const), ticket_ref, to_queue_id: fc.constantFrom("q2", "q1") }) },
  { weight: 1, arbitrary: fc.constant({ type: "pause" as const }) },
  { weight: 2, arbitrary: fc.constant({ type: "resume" as const }) },
  { weight: 3, arbitrary: fc.constant({ type: "open" as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("close" as const), reason: fc.option(fc.constant("end of day"), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("open_counter" as const), counter_id, name: fc.constantFrom("Guichet", "Caisse") }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("close_counter" as const), counter_id }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant("configure" as const),
      policy: fc.record(
        {
          prefix: fc.constantFrom("A", "B"),
          time_zone: fc.constantFrom("Africa/Dakar", "Africa/Nairobi", "America/New_York", "Not/A_Zone"),
          max_recalls: fc.integer({ min: -1, max: 3 }),
          head_start_ms: fc.record({ vip: fc.integer({ min: 0, max: 40 }).map((m) => m * MINUTE) }),
          appointment_head_start_ms: fc.integer({ min: 0, max: 40 }).map((m) => m * MINUTE),
        },
        { requiredKeys: [] },
      ),
    }),
  },
);

const gap = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) }, // equal times make ties in rank and issue time
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 5 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 * HOUR }) },
);

export const plans = fc.array(fc.tuple(gap, body), { minLength: 1, maxLength: 60, size: "max" });
export type Plan = [number, Body][];

let transfers = 0;

function resolve(ref: string | number, type: TicketCommand, state: QueueState): string {
  if (typeof ref === "string") return ref;
  const fitting = state.tickets.filter((t) => t.status === EXPECTED[type]);
  const candidates = fitting.length > 0 ? fitting : state.tickets;
  return candidates.length > 0 ? candidates[ref % candidates.length].id : TICKETS[ref % TICKETS.length];
}

function materialise(body: Body, at: number, state: QueueState): Command {
  if (body.type === "issue") {
    const { appointment_in, ...rest } = body;
    return { ...rest, at, appointment_at: appointment_in === undefined ? null : at + appointment_in * MINUTE };
  }
  if (body.type === "transfer_in") {
    const ticket: TransferredTicket = {
      id: body.ticket_id, number: `X-${String(++transfers).padStart(3, "0")}`, issued_at: at - body.issued_ago * MINUTE,
      priority: body.priority, channel: "agent", user_id: null, appointment_id: null, appointment_at: null,
    };
    return { type: "transfer_in", ticket, from_queue_id: "q0", at };
  }
  if ("ticket_ref" in body) {
    const { ticket_ref, ...rest } = body;
    return { ...rest, ticket_id: resolve(ticket_ref, body.type, state), at } as Command;
  }
  return { ...body, at } as Command;
}

export function startingQueue(): QueueState {
  let state = initialState({ queue_id: "q1" });
  for (const id of ["c1", "c2"]) {
    const decision = decide(state, { type: "open_counter", counter_id: id, name: id, at: MORNING });
    if (decision.ok) state = decision.state;
  }
  return state;
}

export interface Applied {
  before: QueueState;
  command: Command;
  decision: Decision;
  after: QueueState;
}

/** Applies a plan one command at a time; `inspect` sees each input state before decide. */
export function replay(plan: Plan, inspect: (before: QueueState) => void = () => {}): Applied[] {
  let state = startingQueue();
  let at = MORNING;
  const applied: Applied[] = [];
  for (const [wait, body] of plan) {
    at += wait;
    const command = materialise(body, at, state);
    inspect(state);
    const decision = decide(state, command);
    const after = decision.ok ? decision.state : state;
    applied.push({ before: state, command, decision, after });
    state = after;
  }
  return applied;
}
