import assert from "node:assert/strict";
import { aQueue, counterIn, eventOf, issue, itRefuses, run } from "./queue-fixtures.ts";

describe("queue actor: counters", () => {
  it("opens an unknown counter", () => {
    const { state, events } = run(aQueue({ counters: 0 }), { type: "open_counter", counter_id: "c9", name: "Caisse" });
    const counter = { id: "c9", name: "Caisse", open: true, ticket_id: null };
    assert.deepEqual(state.counters, [counter]);
    assert.deepEqual(eventOf(events, "counter.opened").counter, counter);
  });

  it("reopens a closed counter under its new name", () => {
    const { state } = run(aQueue(), { type: "close_counter", counter_id: "c1" }, { type: "open_counter", counter_id: "c1", name: "Guichet A" });
    assert.deepEqual(state.counters, [{ id: "c1", name: "Guichet A", open: true, ticket_id: null }]);
  });

  it("closes a free counter", () => {
    const { state, events } = run(aQueue(), { type: "close_counter", counter_id: "c1" });
    assert.equal(counterIn(state, "c1")?.open, false);
    assert.equal(eventOf(events, "counter.closed").counter.open, false);
  });

  itRefuses({
    "to open a counter that is already open": { given: aQueue, when: { type: "open_counter", counter_id: "c1", name: "Guichet 1" }, code: "invalid_transition" },
    "to close a counter that holds a ticket": { given: aQueue, after: [issue("t1"), { type: "call_next", counter_id: "c1" }], when: { type: "close_counter", counter_id: "c1" }, code: "counter_has_ticket" },
    "to close an unknown counter": { given: aQueue, when: { type: "close_counter", counter_id: "c9" }, code: "counter_not_found" },
    "to close a closed counter": { given: aQueue, after: [{ type: "close_counter", counter_id: "c1" }], when: { type: "close_counter", counter_id: "c1" }, code: "invalid_transition" },
  });
});
