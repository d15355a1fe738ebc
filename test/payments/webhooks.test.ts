// Provider notifications: checked over the raw body with each provider's scheme; forged,
// tampered, stale and unsigned ones are refused and change nothing; the same one delivered
// again, or five times at once, changes the payment once.
import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { heardFor } from "./payment-events.ts";
import { PAYTECH } from "./provider-stand-ins.ts";

describe("payments: provider notifications", function () {
  this.timeout(60_000);
  // Reconciliation far away: what settles a payment here is the notification alone.
  const t = withAPaymentNode({ PAYMENT_VERIFY_BACKOFF_SECONDS: "3600" });

  const aPendingPayment = async (method: "wave" | "orange_money" | "free_money") => {
    const reply = await t.sut.pay(t.citizen, { service_id: t.office.service.id, method, amount: 5000, phone: "+221771234567" });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body as { id: string; status: string; history: unknown[] };
  };
  const unchanged = async (before: { id: string; status: string; history: unknown[] }) => {
    const now = (await t.sut.transaction(t.citizen, before.id)).body;
    assert.equal(now.status, before.status);
    assert.deepEqual(now.history, before.history);
  };

  it("refuses a Wave notification signed with another secret, and changes nothing", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    assertError(await t.sut.deliver(t.sut.wave.webhook(tx.id, { secret: "not-the-secret" })), 401, "webhook_refused");
    await unchanged(tx);
  });

  it("refuses a Wave notification whose body was altered after signing", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    const genuine = t.sut.wave.webhook(tx.id, { type: "checkout.session.payment_failed" });
    const tampered = { ...genuine, body: genuine.body.replace("checkout.session.payment_failed", "checkout.session.completed") };
    const reply = await t.sut.deliver(tampered);
    assertError(reply, 401, "webhook_refused");
    assert.equal(reply.body.error.details.reason, "bad_signature");
    await unchanged(tx);
  });

  it("refuses a Wave notification signed outside the timestamp tolerance, or from the future", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    for (const timestamp of [Math.floor(Date.now() / 1000) - 600, Math.floor(Date.now() / 1000) + 600]) {
      const reply = await t.sut.deliver(t.sut.wave.webhook(tx.id, { timestamp }));
      assertError(reply, 401, "webhook_refused");
      assert.equal(reply.body.error.details.reason, "stale");
    }
    await unchanged(tx);
  });

  it("refuses an unsigned notification", async () => {
    const tx = await aPendingPayment("wave");
    const genuine = t.sut.wave.webhook(tx.id);
    const reply = await t.sut.deliver({ ...genuine, headers: { "content-type": "application/json" } });
    assertError(reply, 401, "webhook_refused");
    await unchanged(tx);
  });

  it("refuses an Orange Money notification with another payment's notif_token", async () => {
    const tx = await aPendingPayment("orange_money");
    const other = await aPendingPayment("orange_money");
    t.sut.orange.pay(tx.id);
    const forged = t.sut.orange.notification(tx.id, { notifToken: t.sut.orange.notification(other.id).body.match(/"notif_token":"([^"]+)"/)![1] });
    assertError(await t.sut.deliver(forged), 401, "webhook_refused");
    await unchanged(tx);
  });

  it("refuses a PayTech (Free Money) IPN with the hash of another secret", async () => {
    const tx = await aPendingPayment("free_money");
    t.sut.paytech.pay(tx.id);
    assertError(await t.sut.deliver(t.sut.paytech.ipn(tx.id, { apiSecret: `${PAYTECH.apiSecret}-forged` })), 401, "webhook_refused");
    await unchanged(tx);
  });

  it("believes a PayTech IPN only as far as PayTech's status says: a sale_complete for an unpaid payment changes nothing", async () => {
    const tx = await aPendingPayment("free_money");
    const { token } = t.sut.paytech.paymentOf(tx.id);
    const statusChecks = () => t.sut.paytech.server.requests.filter((r) => r.path.includes(`token_payment=${token}`)).length;
    const reply = await t.sut.deliver(t.sut.paytech.ipn(tx.id));
    assert.equal(reply.status, 200);
    // The confirmation runs after the answer; PayTech still says pending.
    await eventually(async () => statusChecks(), (n) => n === 1);
    await unchanged(tx);
    // The genuine notification, once paid, is not taken for a replay of that one (PayTech
    // delivers again until it is taken, as this loop does).
    t.sut.paytech.pay(tx.id);
    await eventually(() => t.sut.deliver(t.sut.paytech.ipn(tx.id)), (r) => r.status === 200 && r.body.duplicate === undefined);
    await eventually(() => t.sut.transaction(t.citizen, tx.id), (r) => r.body.status === "succeeded");
  });

  it("acknowledges a notification delivered again without applying it twice", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    const delivery = t.sut.wave.webhook(tx.id);
    assert.equal((await t.sut.deliver(delivery)).body.applied, true);
    const paid = (await t.sut.transaction(t.citizen, tx.id)).body;
    const again = await t.sut.deliver(delivery);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    await unchanged(paid);
  });

  for (const method of ["wave", "orange_money"] as const) {
    it(`changes the payment once when the same ${method} notification comes five times at once`, async () => {
      const tx = await aPendingPayment(method);
      const delivery = method === "wave" ? (t.sut.wave.pay(tx.id), t.sut.wave.webhook(tx.id)) : (t.sut.orange.pay(tx.id), t.sut.orange.notification(tx.id));
      const replies = await Promise.all(Array.from({ length: 5 }, () => t.sut.deliver(delivery)));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200]);
      assert.equal(replies.filter((r) => r.body.applied).length, 1, JSON.stringify(replies.map((r) => r.body)));
      const paid = (await t.sut.transaction(t.citizen, tx.id)).body;
      assert.equal(paid.status, "succeeded");
      assert.equal(paid.history.filter((t: { to: string }) => t.to === "succeeded").length, 1);
      await eventually(async () => heardFor(t.heard, tx.id), (h) => h.length === 1);
      assert.equal(heardFor(t.heard, tx.id, "payments.succeeded").length, 1);
    });
  }

  it("ignores a late failure after the payment succeeded", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    await t.sut.deliver(t.sut.wave.webhook(tx.id));
    const paid = (await t.sut.transaction(t.citizen, tx.id)).body;
    const late = await t.sut.deliver(t.sut.wave.webhook(tx.id, { type: "checkout.session.payment_failed" }));
    assert.equal(late.status, 200);
    assert.equal(late.body.applied, false);
    await unchanged(paid);
  });

  it("takes a notification on the shared /webhooks/ path, recognising its provider", async () => {
    const tx = await aPendingPayment("wave");
    t.sut.wave.pay(tx.id);
    const reply = await t.sut.deliver({ ...t.sut.wave.webhook(tx.id), path: "/api/payments/webhooks/" });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal((await t.sut.transaction(t.citizen, tx.id)).body.status, "succeeded");
  });
});
