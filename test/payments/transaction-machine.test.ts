// The payment state machine on its own: given a state, when a command, then the new state
// and transitions, or nothing, or a refusal.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ALLOWED, CAUSES, decide, initialState, OUTCOMES, refundable, STATUSES, type Command, type Decision, type Outcome, type TransactionState } from "../../services/payments/transaction-machine.ts";
import { xofAmount } from "../../services/payments/money.ts";

const AT = "2026-12-02T10:00:00.000Z";
const start: Command = { type: "start", cause: "user", at: AT };
const settle = (outcome: Outcome, cause: "webhook" | "verification" | "reconciliation" = "webhook"): Command => ({ type: "settle", outcome, cause, at: AT });
const refund = (amount: number): Command => ({ type: "refund", amount, cause: "user", at: AT });
const refundSettled = (amount: number, ok = true): Command => ({ type: "refundSettled", amount, ok, cause: "user", at: AT });

/** The state after each command that changed something (ignored ones leave it, refusals fail the test). */
function given(commands: Command[], amount = 5000): TransactionState {
  let state = initialState(amount);
  for (const command of commands) {
    const decision = decide(state, command);
    assert.notEqual(decision.kind, "refused", JSON.stringify(decision));
    if (decision.kind === "changed") state = decision.state;
  }
  return state;
}

const changedTo = (decision: Decision) => {
  assert.equal(decision.kind, "changed", JSON.stringify(decision));
  return decision as Extract<Decision, { kind: "changed" }>;
};

describe("payment transaction machine", () => {
  it("goes pending when the provider accepts the payment, by the user's hand", () => {
    const d = changedTo(decide(initialState(5000), start));
    assert.equal(d.state.status, "pending");
    assert.deepEqual(d.transitions, [{ from: "created", to: "pending", cause: "user", at: AT }]);
  });

  for (const outcome of ["succeeded", "failed", "expired"] as const) {
    it(`settles a pending payment as ${outcome} with the provider's cause`, () => {
      const d = changedTo(decide(given([start]), settle(outcome, "verification")));
      assert.equal(d.state.status, outcome);
      assert.deepEqual(d.transitions, [{ from: "pending", to: outcome, cause: "verification", at: AT }]);
    });
  }

  it("records the implied start when the provider's word comes before its answer to the start", () => {
    const d = changedTo(decide(initialState(5000), settle("succeeded")));
    assert.deepEqual(d.transitions.map((t) => [t.from, t.to, t.cause]), [["created", "pending", "webhook"], ["pending", "succeeded", "webhook"]]);
  });

  it("ignores a late pending after succeeded", () => {
    const d = decide(given([start, settle("succeeded")]), settle("pending"));
    assert.equal(d.kind, "ignored");
  });

  it("ignores a failure reported after success, and a success reported after expiry: nothing is reversed", () => {
    assert.equal(decide(given([start, settle("succeeded")]), settle("failed")).kind, "ignored");
    assert.equal(decide(given([start, settle("expired", "reconciliation")]), settle("succeeded")).kind, "ignored");
  });

  it("ignores the same word twice", () => {
    assert.equal(decide(given([start, settle("succeeded")]), settle("succeeded")).kind, "ignored");
    assert.equal(decide(given([start]), settle("pending")).kind, "ignored");
  });

  it("reserves a refund without changing the status, then refunds in part", () => {
    const reserved = changedTo(decide(given([start, settle("succeeded")]), refund(2000)));
    assert.equal(reserved.state.status, "succeeded");
    assert.equal(reserved.state.refunding, 2000);
    assert.deepEqual(reserved.transitions, []);
    const done = changedTo(decide(reserved.state, refundSettled(2000)));
    assert.equal(done.state.status, "partially_refunded");
    assert.deepEqual(done.transitions, [{ from: "succeeded", to: "partially_refunded", cause: "user", at: AT, amount: 2000 }]);
  });

  it("is refunded once the whole amount is refunded, in one refund or several", () => {
    assert.equal(given([start, settle("succeeded"), refund(5000), refundSettled(5000)]).status, "refunded");
    assert.equal(given([start, settle("succeeded"), refund(1000), refundSettled(1000), refund(4000), refundSettled(4000)]).status, "refunded");
  });

  it("releases a reservation the provider refused", () => {
    const state = given([start, settle("succeeded"), refund(3000), refundSettled(3000, false)]);
    assert.deepEqual([state.status, state.refunding, state.refunded], ["succeeded", 0, 0]);
  });

  it("refuses a refund of more than is left, counting refunds still with the provider", () => {
    const d = decide(given([start, settle("succeeded"), refund(3000)]), refund(2001));
    assert.equal(d.kind, "refused");
    assert.equal((d as { code: string }).code, "refund_exceeds_balance");
  });

  it("refuses to refund a payment that has not succeeded", () => {
    for (const commands of [[], [start], [start, settle("failed")], [start, settle("expired")]]) {
      const d = decide(given(commands), refund(100));
      assert.equal((d as { code?: string }).code, "not_refundable");
    }
  });

  it("keeps every change on an allowed edge, never moves back and never refunds more than was paid (property)", () => {
    const order = (s: string) => STATUSES.indexOf(s as never);
    const aCommand = fc.oneof(
      fc.constant(start),
      fc.record({ outcome: fc.constantFrom(...OUTCOMES), cause: fc.constantFrom("webhook", "verification", "reconciliation") }).map(({ outcome, cause }) => settle(outcome, cause as "webhook")),
      fc.integer({ min: -10, max: 6000 }).map(refund),
      fc.record({ amount: fc.integer({ min: 1, max: 6000 }), ok: fc.boolean() }).map(({ amount, ok }) => refundSettled(amount, ok)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.array(aCommand, { maxLength: 30 }), (amount, commands) => {
        let state = initialState(amount);
        for (const command of commands) {
          const d = decide(state, command);
          if (d.kind !== "changed") continue;
          let at = state.status;
          for (const t of d.transitions) {
            assert.equal(t.from, at, "transitions chain from the current status");
            assert.ok(ALLOWED[t.from].includes(t.to), `${t.from} → ${t.to} is not an allowed edge`);
            assert.ok(CAUSES.includes(t.cause));
            at = t.to;
          }
          assert.equal(d.state.status, at, "the status is where the transitions lead");
          assert.ok(order(d.state.status) >= order(state.status) || (state.status === "partially_refunded" && d.state.status === "refunded"));
          state = d.state;
          assert.ok(state.refunded + state.refunding <= state.amount && refundable(state) >= 0);
          assert.ok(state.refunded === 0 || state.status === "partially_refunded" || state.status === "refunded");
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("XOF amounts", () => {
  const amount = xofAmount(1_000_000);
  it("takes a whole positive number of XOF up to the ceiling", () => {
    assert.equal(amount.parse(1), 1);
    assert.equal(amount.parse(1_000_000), 1_000_000);
  });
  it("refuses zero, negative, decimal, over-the-ceiling and string amounts", () => {
    for (const bad of [0, -5, 10.5, 1_000_001, "1000", null]) assert.equal(amount.safeParse(bad).success, false, String(bad));
  });
});
