import assert from "node:assert/strict";
import { estimatedWait, snapshot, type QueueState } from "../../actors/queue/index.ts";
import { aQueue, issue, MINUTE, minutes, run, type Step } from "./queue-fixtures.ts";

/** Serves one ticket at a counter for `duration` minutes starting at minute `from`. */
const serve = (id: string, counter: string, from: number, duration: number): Step[] => [
  issue(id, minutes(from)),
  { type: "call", ticket_id: id, counter_id: counter, at: minutes(from) },
  { type: "start", ticket_id: id, at: minutes(from) },
  { type: "complete", ticket_id: id, at: minutes(from + duration) },
];

const waiting = (state: QueueState, count: number) =>
  run(state, ...Array.from({ length: count }, (_, i) => issue(`w${i + 1}`, minutes(100 + i)))).state;

describe("queue actor: wait estimates", () => {
  it("plans with the default service time until one is observed", () => {
    const state = waiting(aQueue(), 2);
    assert.equal(estimatedWait(state, "w1", minutes(200)), 5 * MINUTE);
    assert.equal(estimatedWait(state, "w2", minutes(200)), 10 * MINUTE);
  });

  it("blends observed services into the expected duration, which weighs as five of them", () => {
    const state = waiting(run(aQueue(), ...serve("s1", "c1", 0, 8)).state, 2);
    assert.equal(state.service_ms.queue, 8 * MINUTE);
    // (5 × 5 min + 1 × 8 min) / 6 = 5.5 min a place.
    assert.equal(estimatedWait(state, "w2", minutes(200)), 11 * MINUTE);
    assert.deepEqual(snapshot(state, minutes(200)).estimate, { service_ms: 5.5 * MINUTE, basis: "blended", observed_services: 1 });
  });

  it("leans on what it observes as services add up", () => {
    const steps = Array.from({ length: 45 }, (_, i) => serve(`s${i}`, "c1", i * 10, 8)).flat();
    const { state } = run(aQueue(), ...steps);
    // (5 × 5 + 45 × 8) / 50 = 7.7 min.
    assert.equal(snapshot(state, minutes(1000)).estimate.service_ms, 7.7 * MINUTE);
  });

  it("keeps the estimate between a quarter and four times the expected duration", () => {
    const instant = Array.from({ length: 100 }, (_, i) => serve(`q${i}`, "c1", i, 0)).flat();
    assert.equal(snapshot(run(aQueue(), ...instant).state, minutes(500)).estimate.service_ms, 1.25 * MINUTE, "a morning of tickets closed at once");
    const endless = Array.from({ length: 100 }, (_, i) => serve(`l${i}`, "c1", i * 200, 180)).flat();
    assert.equal(snapshot(run(aQueue(), ...endless).state, minutes(30_000)).estimate.service_ms, 20 * MINUTE);
  });

  it("says it plans with the expected duration alone until a service is observed", () => {
    assert.deepEqual(snapshot(aQueue(), minutes(1)).estimate, { service_ms: 5 * MINUTE, basis: "expected", observed_services: 0 });
  });

  it("weighs a saved average without a count as much as the expected duration", () => {
    const before = { ...aQueue(), service_ms: { queue: 9 * MINUTE, by_counter: {} } }; // a state saved before samples were counted
    assert.deepEqual(snapshot(before, minutes(1)).estimate, { service_ms: 7 * MINUTE, basis: "blended", observed_services: 5 });
  });

  it("moves the observed time a fifth of the way toward each new service", () => {
    const { state } = run(aQueue(), ...serve("s1", "c1", 0, 8), ...serve("s2", "c1", 10, 3));
    assert.equal(state.service_ms.queue, 7 * MINUTE);
  });

  it("keeps a service time per counter", () => {
    const { state } = run(aQueue({ counters: 2 }), ...serve("s1", "c1", 0, 8), ...serve("s2", "c2", 0, 2));
    assert.deepEqual(state.service_ms.by_counter, { c1: 8 * MINUTE, c2: 2 * MINUTE });
  });

  it("divides the wait among the open counters", () => {
    const state = waiting(aQueue({ counters: 2 }), 4);
    assert.deepEqual(["w1", "w2", "w3", "w4"].map((id) => estimatedWait(state, id, minutes(200))), [5, 5, 10, 10].map((m) => m * MINUTE));
  });

  it("does not count a closed counter", () => {
    const state = waiting(run(aQueue({ counters: 2 }), { type: "close_counter", counter_id: "c2" }).state, 2);
    assert.equal(estimatedWait(state, "w2", minutes(200)), 10 * MINUTE);
  });

  it("gives no estimate for a ticket that is not waiting", () => {
    const { state } = run(aQueue(), issue("t1"), { type: "call_next", counter_id: "c1" });
    assert.equal(estimatedWait(state, "t1", minutes(1)), null);
  });
});

describe("queue actor: snapshot", () => {
  it("lists the first ten waiting tickets in call order with positions and waits", () => {
    const state = run(waiting(aQueue({ counters: 2 }), 12), issue("vip", minutes(120), { priority: "vip" })).state;
    const view = snapshot(state, minutes(130));
    assert.equal(view.waiting_count, 13);
    assert.equal(view.next.length, 10);
    assert.deepEqual(view.next.slice(0, 3), [
      { ticket_id: "w1", number: "A-001", position: 1, estimated_wait_ms: 5 * MINUTE },
      { ticket_id: "w2", number: "A-002", position: 2, estimated_wait_ms: 5 * MINUTE },
      { ticket_id: "w3", number: "A-003", position: 3, estimated_wait_ms: 10 * MINUTE },
    ]);
    assert.deepEqual(view.next.map((e) => e.position), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(view.next.find((e) => e.ticket_id === "vip")?.position, 7);
  });

  it("shows who is at each counter, with the counter's name", () => {
    const { state } = run(aQueue({ counters: 2 }), issue("t1"), issue("t2"), { type: "call_next", counter_id: "c2" }, { type: "start", ticket_id: "t1" });
    const view = snapshot(state, minutes(1));
    assert.deepEqual(view.now_serving, [{ counter_id: "c2", counter_name: "Guichet 2", ticket_id: "t1", number: "A-001", status: "serving" }]);
    assert.deepEqual(view.counters, state.counters);
    assert.equal(view.version, state.version);
    assert.equal(view.day, "2025-03-10");
  });
});
