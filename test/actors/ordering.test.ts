import assert from "node:assert/strict";
import { position } from "../../actors/queue/index.ts";
import { aQueue, callSequence, issue, minutes, run } from "./queue-fixtures.ts";

describe("queue actor: who is called next", () => {
  it("calls tickets of the same class in issue order", () => {
    const { state } = run(aQueue(), issue("t1", minutes(0)), issue("t2", minutes(1)), issue("t3", minutes(2)));
    assert.deepEqual(callSequence(state, minutes(3)), ["t1", "t2", "t3"]);
  });

  it("calls an elderly ticket before an earlier normal one", () => {
    const { state } = run(aQueue(), issue("normal", minutes(0)), issue("elderly", minutes(5), { priority: "elderly" }));
    assert.deepEqual(callSequence(state, minutes(6)), ["elderly", "normal"]);
  });

  it("calls a normal ticket before an elderly one issued more than ten minutes later", () => {
    const { state } = run(aQueue(), issue("normal", minutes(0)), issue("elderly", minutes(11), { priority: "elderly" }));
    assert.deepEqual(callSequence(state, minutes(12)), ["normal", "elderly"]);
  });

  it("calls a vip before a pregnant ticket issued at the same time", () => {
    const { state } = run(aQueue(), issue("pregnant", minutes(0), { priority: "pregnant" }), issue("vip", minutes(0), { priority: "vip" }));
    assert.deepEqual(callSequence(state, minutes(1)), ["vip", "pregnant"]);
  });

  it("calls a normal ticket that has waited longer than every head start before a new vip", () => {
    const { state } = run(aQueue(), issue("patient", minutes(0)), issue("vip", minutes(16), { priority: "vip" }));
    assert.deepEqual(callSequence(state, minutes(16)), ["patient", "vip"]);
  });

  it("calls an appointment due now before everyone else", () => {
    const { state } = run(
      aQueue(),
      issue("vip", minutes(10), { priority: "vip" }),
      issue("disabled", minutes(11), { priority: "disabled" }),
      issue("booked", minutes(20), { appointment_at: minutes(25) }),
    );
    assert.deepEqual(callSequence(state, minutes(20)), ["booked", "vip", "disabled"]);
  });

  it("ranks an appointment not yet due by its priority class", () => {
    const { state } = run(aQueue(), issue("walk-in", minutes(0)), issue("early", minutes(1), { appointment_at: minutes(60) }));
    assert.deepEqual(callSequence(state, minutes(2)), ["walk-in", "early"]);
  });

  it("moves an early check-in ahead once its appointment window opens", () => {
    const { state } = run(aQueue(), issue("walk-in", minutes(0)), issue("early", minutes(1), { appointment_at: minutes(60) }));
    assert.deepEqual(callSequence(state, minutes(50)), ["early", "walk-in"]);
  });

  it("breaks a tie in rank by issue time, then by id", () => {
    const { state } = run(
      aQueue(),
      issue("b", minutes(0)),
      issue("a", minutes(0)),
      issue("elderly", minutes(10), { priority: "elderly" }),
    );
    assert.deepEqual(callSequence(state, minutes(10)), ["a", "b", "elderly"]);
  });

  it("gives waiting tickets the positions 1 to n in call order", () => {
    const { state } = run(aQueue(), issue("t1", minutes(0)), issue("t2", minutes(1)), issue("t3", minutes(2), { priority: "vip" }));
    assert.deepEqual(["t3", "t1", "t2"].map((id) => position(state, id, minutes(3))), [1, 2, 3]);
  });

  it("gives no position to a ticket that is not waiting", () => {
    const { state } = run(aQueue(), issue("t1"), { type: "call_next", counter_id: "c1" });
    assert.equal(position(state, "t1", minutes(1)), null);
    assert.equal(position(state, "nope", minutes(1)), null);
  });
});
