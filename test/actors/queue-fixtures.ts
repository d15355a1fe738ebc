// Fixture builders for the queue actor: a queue with open counters, command builders, and
// run/refusal helpers that check every step the way a host would rely on it.
import assert from "node:assert/strict";
import {
  decide, initialState,
  type Command, type CommandOf, type EventOf, type EventType, type PolicyPatch, type QueueEvent, type QueueState,
} from "../../actors/queue/index.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** Monday 10 March 2025, 08:00 in Dakar (UTC+0 all year). */
export const MORNING = Date.UTC(2025, 2, 10, 8, 0);
/** MORNING plus some minutes. */
export const minutes = (m: number) => MORNING + m * MINUTE;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command whose time may be left out: it then happens at MORNING. */
export type Step = DistributiveOmit<Command, "at"> & { at?: number };

export function aQueue(options: { policy?: PolicyPatch; counters?: number; queue_id?: string } = {}): QueueState {
  let state = initialState({ queue_id: options.queue_id ?? "q1", policy: options.policy });
  for (let i = 1; i <= (options.counters ?? 1); i++) {
    state = run(state, { type: "open_counter", counter_id: `c${i}`, name: `Guichet ${i}` }).state;
  }
  return state;
}

type IssueExtras = Partial<Pick<CommandOf<"issue">, "priority" | "channel" | "user_id" | "appointment_id" | "appointment_at" | "notify_near">>;

export function issue(ticket_id: string, at = MORNING, extra: IssueExtras = {}): Step {
  return { type: "issue", ticket_id, channel: "kiosk", priority: "normal", at, ...extra };
}

/** Applies steps that must all be accepted; returns the final state and every event. */
export function run(state: QueueState, ...steps: Step[]): { state: QueueState; events: QueueEvent[] } {
  const events: QueueEvent[] = [];
  for (const step of steps) {
    const decision = decide(state, { at: MORNING, ...step } as Command);
    if (!decision.ok) assert.fail(`${step.type} was refused: ${decision.error.code} — ${decision.error.message}`);
    state = decision.state;
    events.push(...decision.events);
  }
  return { state, events };
}

/** The error of a step that must be refused, having checked it left the state untouched. */
export function refusal(state: QueueState, step: Step): { code: string; message: string } {
  const before = structuredClone(state);
  const decision = decide(state, { at: MORNING, ...step } as Command);
  assert.equal(decision.ok, false, `${step.type} was accepted`);
  assert.deepEqual(state, before);
  return (decision as Extract<typeof decision, { ok: false }>).error;
}

/** A refusal as the tests state it: after `given` and the accepted steps `after`, `when` is refused with `code`. */
export interface Refusal {
  given: () => QueueState;
  after?: Step[];
  when: Step;
  code: string;
  /** What the message must say, where it names something (both statuses…). */
  says?: RegExp;
}

/** One `it` per refusal, named "refuses <what>". */
export function itRefuses(refusals: Record<string, Refusal>): void {
  for (const [what, { given, after = [], when, code, says }] of Object.entries(refusals)) {
    it(`refuses ${what}`, () => {
      const error = refusal(run(given(), ...after).state, when);
      assert.equal(error.code, code);
      if (says) assert.match(error.message, says);
    });
  }
}

/**
 * The ticket `type` ended, at `at`: its event carries it with that final status and time,
 * and the queue holds it no more. Answers it as the event carries it.
 */
export function endedTicket(state: QueueState, events: QueueEvent[], type: "ticket.no_show" | "ticket.completed" | "ticket.cancelled", at: number) {
  const { ticket } = eventOf(events, type);
  assert.equal(ticket.status, type.slice("ticket.".length));
  assert.equal(ticket.finished_at, at);
  assert.equal(ticketIn(state, ticket.id), undefined);
  return ticket;
}

export function eventOf<K extends EventType>(events: QueueEvent[], type: K): EventOf<K> {
  const found = events.filter((e): e is EventOf<K> => e.type === type);
  assert.equal(found.length, 1, `expected one ${type} event, got ${found.length}`);
  return found[0];
}

export const ticketIn = (state: QueueState, id: string) => state.tickets.find((t) => t.id === id);
export const counterIn = (state: QueueState, id: string) => state.counters.find((c) => c.id === id);

/** The ids of the tickets call_next takes, one after another, from a queue with one counter. */
export function callSequence(state: QueueState, at: number): string[] {
  const called: string[] = [];
  for (let waiting = state.tickets.filter((t) => t.status === "waiting").length; waiting > 0; waiting--) {
    const { state: next, events } = run(state, { type: "call_next", counter_id: "c1", at });
    const ticket = eventOf(events, "ticket.called").ticket;
    called.push(ticket.id);
    state = run(next, { type: "cancel", ticket_id: ticket.id, at }).state;
  }
  return called;
}
