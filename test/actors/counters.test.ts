import assert from "node:assert/strict";
import { aQueue, counterIn, eventOf, issue, refusal, run } from "./queue-fixtures.ts";

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

  it("refuses to open a counter that is already open", () => {
    assert.equal(refusal(aQueue(), { type: "open_counter", counter_id: "c1", name: "Guichet 1" }).code, "invalid_transition");
  });

  it("closes a free counter", () => {
    const { state, events } = run(aQueue(), { type: "close_counter", counter_id: "c1" });
    assert.equal(counterIn(state, "c1")?.open, false);
    assert.equal(eventOf(events, "counter.closed").counter.open, false);
  });

  it("refuses to close a counter that holds a ticket", () => {
    const { state } = run(aQueue(), issue("t1"), { type: "call_next", counter_id: "c1" });
    assert.equal(refusal(state, { type: "close_counter", counter_id: "c1" }).code, "counter_has_ticket");
  });

  it("refuses to close an unknown counter", () => {
    assert.equal(refusal(aQueue(), { type: "close_counter", counter_id: "c9" }).code, "counter_not_found");
  });

  it("refuses to close a closed counter", () => {
    const { state } = run(aQueue(), { type: "close_counter", counter_id: "c1" });
    assert.equal(refusal(state, { type: "close_counter", counter_id: "c1" }).code, "invalid_transition");
  });
});
