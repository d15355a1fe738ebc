// A provider that does not answer in time (PROVIDER_TIMEOUT_MS) leaves the payment pending
// and the caller a 502, never a 500; reconciliation settles it once the provider answers,
// or expires it when it stays pending too long.
import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { get, post } from "../support/http.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { heardFor } from "./payment-events.ts";

const causes = (tx: { history: Array<{ from: string; to: string; cause: string }> }) => tx.history.map((t) => `${t.from}>${t.to}:${t.cause}`);

describe("payments: providers that do not answer", function () {
  this.timeout(60_000);
  const t = withAPaymentNode();
  afterEach(() => {
    t.sut.wave.faults.hang = false;
  });

  const body = () => ({ service_id: t.office.service.id, method: "wave", amount: 5000, phone: "+221771234567" });

  it("leaves a payment whose start timed out pending, answers 502, and gives the provider's page to the same Idempotency-Key later", async () => {
    t.sut.wave.faults.hang = true;
    const timedOut = await t.sut.pay(t.citizen, body(), { "idempotency-key": "slow-wave-1" });
    assertError(timedOut, 502, "provider_failed");
    assert.equal(timedOut.body.error.details.retryable, true);
    const [pending] = (await get("/api/payments/transactions/", t.sut.as(t.citizen))).body.results;
    assert.deepEqual([pending.status, pending.redirect_url, causes(pending)], ["pending", null, ["created>pending:user"]]);
    t.sut.wave.faults.hang = false;
    const again = await t.sut.pay(t.citizen, body(), { "idempotency-key": "slow-wave-1" });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.id, pending.id);
    assert.match(again.body.redirect_url, /^https:\/\/pay\.wave\.com\//);
    assert.deepEqual(causes(again.body), ["created>pending:user"]);
  });

  it("answers 502 when a verification times out, leaves the payment pending, and reconciliation settles it once the provider answers", async () => {
    const started = (await t.sut.pay(t.citizen, body())).body;
    t.sut.wave.pay(started.id);
    t.sut.wave.faults.hang = true;
    assertError(await post("/api/payments/verify-payment/", { transaction_id: started.id }, t.sut.as(t.citizen)), 502, "provider_failed");
    assert.equal((await t.sut.transaction(t.citizen, started.id)).body.status, "pending");
    t.sut.wave.faults.hang = false;
    const paid = await eventually(() => t.sut.transaction(t.citizen, started.id), (r) => r.body.status === "succeeded", 30_000);
    assert.deepEqual(causes(paid.body), ["created>pending:user", "pending>succeeded:reconciliation"]);
  });
});

describe("payments: pending too long", function () {
  this.timeout(60_000);
  const t = withAPaymentNode({ PAYMENT_PENDING_EXPIRY_MINUTES: "0.05" }); // 3 s

  it("expires a payment nobody paid, by reconciliation, and announces it failed", async () => {
    const started = (await t.sut.pay(t.citizen, { service_id: t.office.service.id, method: "orange_money", amount: 5000, phone: "+221771234567" })).body;
    const expired = await eventually(() => t.sut.transaction(t.citizen, started.id), (r) => r.body.status === "expired", 20_000);
    assert.deepEqual(causes(expired.body), ["created>pending:user", "pending>expired:reconciliation"]);
    const events = await eventually(async () => heardFor(t.heard, started.id), (h) => h.length === 1);
    assert.deepEqual([events[0]!.name, events[0]!.payload.status], ["payments.failed", "expired"]);
  });

  it("settles a payment the provider says succeeded instead of expiring it", async () => {
    const started = (await t.sut.pay(t.citizen, { service_id: t.office.service.id, method: "free_money", amount: 5000, phone: "+221771234567" })).body;
    t.sut.paytech.pay(started.id);
    const settled = await eventually(() => t.sut.transaction(t.citizen, started.id), (r) => r.body.status !== "pending", 20_000);
    assert.equal(settled.body.status, "succeeded");
  });
});
