import assert from "node:assert/strict";
import fc from "fast-check";
import { announced, decide, headOfLine, isNear, position, snapshot, type LineHead, type NearPreference, type QueueEvent, type QueueState, type Ticket } from "../../actors/queue/index.ts";
import { openCounters, serviceTime, waitFor } from "../../actors/queue/estimates.ts";
import { plans, replay, type Applied } from "./command-plans.ts";

const RUNS = { numRuns: 300 };
const FINAL_EVENTS = new Set(["ticket.cancelled", "ticket.no_show", "ticket.completed", "ticket.transferred_out", "ticket.expired"]);
const ARRIVALS = new Set(["ticket.issued", "ticket.transferred_in"]);

const eventsOf = (applied: Applied[]): QueueEvent[] => applied.flatMap((a) => (a.decision.ok ? a.decision.events : []));
const ticketOf = (event: QueueEvent): Ticket | undefined => ("ticket" in event ? event.ticket : undefined);

/** The call order the rules in ordering.ts describe, by sorting the whole line rather than one pass. */
function expectedOrder(state: QueueState, at: number): Ticket[] {
  const policy = state.policy;
  const rank = (t: Ticket) => {
    const byClass = t.issued_at - policy.head_start_ms[t.priority];
    const due = t.appointment_at !== null && t.appointment_at - policy.appointment_window_ms <= at;
    return due ? Math.min(byClass, Math.min(t.issued_at, t.appointment_at!) - policy.appointment_head_start_ms) : byClass;
  };
  return state.tickets
    .filter((t) => t.status === "waiting")
    .sort((a, b) => rank(a) - rank(b) || a.issued_at - b.issued_at || (a.id < b.id ? -1 : 1));
}
const expectedNext = (state: QueueState, at: number): Ticket | undefined => expectedOrder(state, at)[0];

/** Citizens' own "turn near" choices, handed out to a state's tickets in turn. */
const choices = fc.array(
  fc.option(
    fc.record({ by: fc.constantFrom("position" as const, "minutes" as const), within: fc.integer({ min: 1, max: 40 }), channels: fc.constant<NearPreference["channels"]>(["push"]) }),
    { nil: undefined },
  ),
  { minLength: 1, maxLength: 12 },
);
const choosing = (state: QueueState, chosen: Array<NearPreference | undefined>): QueueState => ({
  ...state,
  tickets: state.tickets.map((ticket, i) => {
    const { notify_near: _own, ...rest } = ticket;
    const choice = chosen[i % chosen.length];
    return choice ? { ...rest, notify_near: choice } : rest;
  }),
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe("queue actor: properties over random command sequences", () => {
  it("never loses or duplicates a ticket", () => {
    fc.assert(fc.property(plans, (plan) => {
      const open = new Set<string>();
      for (const { decision, after } of replay(plan)) {
        for (const event of decision.ok ? decision.events : []) {
          const id = ticketOf(event)?.id;
          if (id === undefined) continue;
          if (ARRIVALS.has(event.type)) {
            assert.ok(!open.has(id), `${id} arrived twice`);
            open.add(id);
          } else if (FINAL_EVENTS.has(event.type)) {
            assert.ok(open.delete(id), `${id} ended without being open`);
          }
        }
        const ids = after.tickets.map((t) => t.id);
        assert.equal(new Set(ids).size, ids.length, "a ticket is in the state twice");
        assert.deepEqual(new Set(ids), open);
      }
    }), RUNS);
  });

  it("never hands out the same display number twice on one day", () => {
    fc.assert(fc.property(plans, (plan) => {
      const issued = eventsOf(replay(plan)).flatMap((e) => (e.type === "ticket.issued" ? [`${e.ticket.day} ${e.ticket.number}`] : []));
      assert.equal(new Set(issued).size, issued.length, issued.join(", "));
    }), RUNS);
  });

  it("never calls a ticket twice without a recall in between", () => {
    fc.assert(fc.property(plans, (plan) => {
      const calledSinceRecall = new Set<string>();
      for (const event of eventsOf(replay(plan))) {
        const id = ticketOf(event)?.id;
        if (id === undefined) continue;
        if (event.type === "ticket.called") {
          assert.ok(!calledSinceRecall.has(id), `${id} called twice`);
          calledSinceRecall.add(id);
        } else if (event.type === "ticket.recalled" || ARRIVALS.has(event.type)) {
          calledSinceRecall.delete(id);
        }
      }
    }), RUNS);
  });

  it("keeps the positions of waiting tickets exactly 1..n, matching the snapshot", () => {
    fc.assert(fc.property(plans, (plan) => {
      for (const { command, after } of replay(plan)) {
        const waiting = after.tickets.filter((t) => t.status === "waiting");
        const positions = waiting.map((t) => position(after, t.id, command.at)!).sort((a, b) => a - b);
        assert.deepEqual(positions, waiting.map((_, i) => i + 1));
        for (const t of after.tickets) if (t.status !== "waiting") assert.equal(position(after, t.id, command.at), null);
        const view = snapshot(after, command.at);
        assert.equal(view.waiting_count, waiting.length);
        for (const entry of view.next) assert.equal(position(after, entry.ticket_id, command.at), entry.position);
      }
    }), RUNS);
  });

  it("announces the first in line and every further one its citizen's choice makes near, as a sort of the whole line places them", () => {
    fc.assert(fc.property(plans, choices, fc.integer({ min: 1, max: 6 }), (plan, chosen, first) => {
      for (const { command, after } of replay(plan)) {
        const state = choosing(after, chosen);
        const order = expectedOrder(state, command.at);
        const positions = new Map(order.map((ticket, i) => [ticket.id, i + 1]));
        const place = (i: number) => ({ position: i + 1, estimated_wait_ms: waitFor(i + 1, openCounters(state), serviceTime(state)) });
        const told = announced(state, command.at, first);
        const expected = order.filter((ticket, i) => i < first || (ticket.notify_near && isNear(place(i), ticket.notify_near, 0)));
        assert.deepEqual(told.map((e) => e.ticket_id), expected.map((t) => t.id));
        for (const entry of told) assert.deepEqual({ position: entry.position, estimated_wait_ms: entry.estimated_wait_ms }, place(positions.get(entry.ticket_id)! - 1));
        assert.deepEqual(snapshot(state, command.at).next.map((e) => e.ticket_id), order.slice(0, 10).map((t) => t.id));
      }
    }), RUNS);
  });

  it("announces from a head of line kept from change to change what reading the whole line announces", () => {
    // As the host keeps it: each change hands over the tickets its events carry, at that
    // time or later (the host's clock runs on after the command's). Some citizens choose
    // their own "turn near", so choosers come and go too.
    const later = fc.array(fc.integer({ min: 0, max: 3 * 60_000 }), { minLength: 1, maxLength: 60 });
    let reused = 0;
    fc.assert(fc.property(plans, choices, later, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }), (plan, chosen, delays, first, more) => {
      const withChoices = plan.map(([gap, body], i) => [gap, body.type === "issue" && chosen[i % chosen.length] ? { ...body, notify_near: chosen[i % chosen.length] } : body] as (typeof plan)[number]);
      let line: LineHead | undefined;
      let at = 0;
      replay(withChoices).forEach(({ command, decision, after }, i) => {
        if (!decision.ok) return;
        at = Math.max(at, command.at) + delays[i % delays.length]!;
        const previous = line;
        line = headOfLine(after, at, first, previous, decision.events.map(ticketOf).filter((t): t is Ticket => t !== undefined), first + more);
        // A head read afresh has entries of its own; one brought up to date keeps some of the previous one's.
        if (previous?.ranked.some((entry) => line!.ranked.includes(entry))) reused++;
        const order = expectedOrder(after, at);
        assert.deepEqual(line.ranked.map((entry) => entry.ticket.id), order.slice(0, line.ranked.length).map((t) => t.id));
        if (line.whole) assert.equal(line.ranked.length, order.length);
        assert.deepEqual(announced(after, at, first, line), announced(after, at, first));
      });
    }), RUNS);
    assert.ok(reused > 0, "no head of line moved on: the property tested nothing");
  });

  it("makes call_next take the waiting ticket with the lowest rank", () => {
    fc.assert(fc.property(plans, (plan) => {
      for (const { before, command, decision } of replay(plan)) {
        if (command.type !== "call_next" || !decision.ok) continue;
        const called = decision.events.find((e) => e.type === "ticket.called");
        assert.equal(called && ticketOf(called)?.id, expectedNext(before, command.at)?.id);
      }
    }), RUNS);
  });

  it("decides the same with a head of line kept from command to command as by reading the whole line", () => {
    let called = 0;
    fc.assert(fc.property(plans, fc.integer({ min: 1, max: 4 }), (plan, kept) => {
      let line: LineHead | undefined;
      for (const { before, command, decision, after } of replay(plan)) {
        line = headOfLine(before, command.at, 1, line, [], kept);
        assert.deepEqual(decide(before, command, line), decision);
        if (command.type === "call_next" && decision.ok) called++;
        if (decision.ok) line = headOfLine(after, command.at, 1, line, decision.events.map(ticketOf).filter((t): t is Ticket => t !== undefined), kept);
      }
    }), RUNS);
    assert.ok(called > 0, "no call_next was accepted: the property tested nothing");
  });

  it("moves the version on by exactly one per accepted command, on every event", () => {
    fc.assert(fc.property(plans, (plan) => {
      for (const { before, command, decision, after } of replay(plan)) {
        if (!decision.ok) {
          assert.equal(after.version, before.version);
          continue;
        }
        assert.equal(after.version, before.version + 1);
        assert.ok(decision.events.length > 0, `${command.type} was accepted silently`);
        for (const event of decision.events) {
          assert.deepEqual([event.queue_id, event.version, event.at], [before.queue_id, after.version, command.at]);
        }
      }
    }), RUNS);
  });

  it("leaves the state as it was when a command is refused", () => {
    fc.assert(fc.property(plans, (plan) => {
      const copies: QueueState[] = [];
      const applied = replay(plan, (before) => copies.push(structuredClone(before)));
      applied.forEach(({ decision, before, after }, i) => {
        if (decision.ok) return;
        assert.deepEqual(before, copies[i]);
        assert.equal(after, before);
      });
    }), RUNS);
  });

  it("never mutates the state it is given", () => {
    fc.assert(fc.property(plans, (plan) => {
      const copies: QueueState[] = [];
      // Frozen input: a write anywhere in it throws, in this state or one shared with it.
      const applied = replay(plan, (before) => copies.push(structuredClone(deepFreeze(before))));
      applied.forEach(({ before }, i) => assert.deepEqual(before, copies[i]));
    }), RUNS);
  });

  it("keeps the state plain JSON, so a host can store and rebuild it", () => {
    fc.assert(fc.property(plans, (plan) => {
      for (const { after } of replay(plan)) assert.deepEqual(JSON.parse(JSON.stringify(after)), after);
    }), RUNS);
  });

  it("announces every open ticket exactly as the state holds it", () => {
    fc.assert(fc.property(plans, (plan) => {
      const latest = new Map<string, Ticket>();
      for (const { decision, after } of replay(plan)) {
        for (const event of decision.ok ? decision.events : []) {
          const ticket = ticketOf(event);
          if (ticket) latest.set(ticket.id, ticket);
        }
        for (const ticket of after.tickets) assert.deepEqual(latest.get(ticket.id), ticket);
      }
    }), RUNS);
  });

  it("keeps counters and the tickets at them pointing at each other", () => {
    fc.assert(fc.property(plans, (plan) => {
      for (const { after } of replay(plan)) {
        for (const counter of after.counters) {
          if (counter.ticket_id === null) continue;
          const ticket = after.tickets.find((t) => t.id === counter.ticket_id);
          assert.ok(ticket && ticket.status !== "waiting" && ticket.counter_id === counter.id);
        }
        for (const ticket of after.tickets) {
          if (ticket.status === "waiting") continue;
          assert.equal(after.counters.filter((c) => c.ticket_id === ticket.id).length, 1);
        }
      }
    }), RUNS);
  });
});
