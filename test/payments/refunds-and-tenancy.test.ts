// Refunds by the organisation's staff, whole or in part, never more than was paid even when
// asked at once; who sees which payments; and what is refused with 400 naming the field.
import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import type { Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { heardFor } from "./payment-events.ts";

describe("payments: refunds, tenancy and input", function () {
  this.timeout(60_000);
  const t = withAPaymentNode({ PAYMENT_VERIFY_BACKOFF_SECONDS: "3600" });

  const aPaidPayment = async (method: "wave" | "orange_money" | "free_money" = "wave", who = t.citizen, where = t.office) => {
    const started = await t.sut.pay(who, { service_id: where.service.id, method, amount: where === t.office ? 5000 : 2000, phone: "+221771234567" });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const id = started.body.id as string;
    ({ wave: t.sut.wave, orange_money: t.sut.orange, free_money: t.sut.paytech })[method].pay(id);
    const verified = await post("/api/payments/verify-payment/", { transaction_id: id }, t.sut.as(who));
    assert.equal(verified.body.status, "succeeded", JSON.stringify(verified.body));
    return verified.body as { id: string; amount: number };
  };
  const refund = (by: Session, body: Record<string, unknown>, key?: string) =>
    post("/api/payments/refund/", body, { ...t.sut.as(by), ...(key && { headers: { "idempotency-key": key } }) });

  it("refunds part of a Wave payment, then the rest, announcing each", async () => {
    const tx = await aPaidPayment();
    const part = await refund(t.office.admin, { transaction_id: tx.id, amount: 2000 });
    assert.equal(part.status, 200, JSON.stringify(part.body));
    assert.deepEqual([part.body.status, part.body.refunded, part.body.refundable], ["partially_refunded", 2000, 3000]);
    const rest = await refund(t.office.agent, { transaction_id: tx.id });
    assert.deepEqual([rest.body.status, rest.body.refunded, rest.body.refundable], ["refunded", 5000, 0]);
    assert.deepEqual(t.sut.wave.payouts.map((p) => p.receive_amount), ["2000", "3000"]);
    const refunds = await eventually(async () => heardFor(t.heard, tx.id, "payments.refunded"), (h) => h.length === 2);
    assert.deepEqual(refunds.map((e) => [e.payload.refund_amount, e.payload.refunded, e.payload.status]), [[2000, 2000, "partially_refunded"], [3000, 5000, "refunded"]]);
  });

  it("refunds a whole Wave payment through the checkout session's refund", async () => {
    const tx = await aPaidPayment();
    const reply = await refund(t.office.admin, { transaction_id: tx.id, amount: 5000 });
    assert.equal(reply.body.status, "refunded");
    assert.equal(t.sut.wave.refunds.length, 1);
  });

  it("never refunds more than was paid when refunds are asked at once", async () => {
    const tx = await aPaidPayment();
    const replies = await Promise.all(Array.from({ length: 5 }, () => refund(t.office.admin, { transaction_id: tx.id, amount: 2000 })));
    const ok = replies.filter((r) => r.status === 200);
    assert.equal(ok.length, 2, JSON.stringify(replies.map((r) => [r.status, r.body.error?.code])));
    for (const r of replies.filter((r) => r.status !== 200)) assertError(r, 409, "refund_exceeds_balance");
    const after = (await t.sut.transaction(t.office.admin, tx.id)).body;
    assert.deepEqual([after.refunded, after.refunding, after.status], [4000, 0, "partially_refunded"]);
    assert.equal(t.sut.wave.payouts.filter((p) => p.mobile === "+221771234567").length >= 2, true);
  });

  it("refunds once per Idempotency-Key", async () => {
    const tx = await aPaidPayment();
    const first = await refund(t.office.admin, { transaction_id: tx.id, amount: 1000 }, "refund-once");
    const again = await refund(t.office.admin, { transaction_id: tx.id, amount: 1000 }, "refund-once");
    assert.equal(first.body.refunded, 1000);
    assert.equal(again.body.refunded, 1000);
    assert.equal(again.body.refund.id, first.body.refund.id);
  });

  it("refuses to refund an unpaid payment, an Orange Money payment, and part of a Free Money payment", async () => {
    const pending = await t.sut.pay(t.citizen, { service_id: t.office.service.id, method: "wave", amount: 5000, phone: "+221771234567" });
    assertError(await refund(t.office.admin, { transaction_id: pending.body.id }), 409, "not_refundable");
    assertError(await refund(t.office.admin, { transaction_id: (await aPaidPayment("orange_money")).id }), 409, "refund_not_supported");
    const free = await aPaidPayment("free_money");
    assertError(await refund(t.office.admin, { transaction_id: free.id, amount: 100 }), 409, "partial_refund_not_supported");
    assert.equal((await refund(t.office.admin, { transaction_id: free.id })).body.status, "refunded");
  });

  it("lets no citizen refund, not even their own payment", async () => {
    const tx = await aPaidPayment();
    assertError(await refund(t.citizen, { transaction_id: tx.id }), 403, "forbidden");
    assert.equal((await t.sut.transaction(t.citizen, tx.id)).body.refunded, 0);
  });

  it("never shows the provider's secrets, not even to other services", async () => {
    const started = await t.sut.pay(t.citizen, { service_id: t.office.service.id, method: "orange_money", amount: 5000, phone: "+221771234567" });
    const internal = await t.sut.node.node.broker.call<Record<string, unknown>, object>("payments.byId", { id: started.body.id });
    assert.equal(internal.id, started.body.id);
    assert.equal("secrets" in internal, false);
    const { notif_token: secret } = JSON.parse(t.sut.orange.notification(started.body.id).body);
    for (const shown of [internal, started.body, (await t.sut.transaction(t.office.admin, started.body.id)).body]) assert.ok(!JSON.stringify(shown).includes(secret));
  });

  it("hides a payment from another organisation's staff and from other citizens", async () => {
    const tx = await aPaidPayment();
    const stranger = await t.sut.aCitizen();
    for (const who of [t.otherOffice.admin, t.otherOffice.agent, stranger]) {
      assertError(await t.sut.transaction(who, tx.id), 404, "not_found");
      assertError(await refund(who, { transaction_id: tx.id }), 404, "not_found");
      assertError(await post("/api/payments/verify-payment/", { transaction_id: tx.id }, t.sut.as(who)), 404, "not_found");
      const list = await get("/api/payments/transactions/?page_size=100", t.sut.as(who));
      assert.equal(list.status, 200);
      assert.ok(!JSON.stringify(list.body).includes(tx.id), "another's payment in the list");
    }
    assert.equal((await t.sut.transaction(t.office.admin, tx.id)).body.refunded, 0);
  });

  it("lists a citizen's own payments, and staff their organisation's, with filters and DRF pages", async () => {
    const mine = await t.sut.aCitizen();
    const a = await aPaidPayment("wave", mine);
    const b = await aPaidPayment("orange_money", mine);
    const own = await get("/api/payments/transactions/?page_size=1", t.sut.as(mine));
    assert.equal(own.body.count, 2);
    assert.equal(own.body.results.length, 1);
    assert.match(own.body.next, /page=2/);
    const staff = await get(`/api/payments/transactions/?method=orange_money&user_id=${mine.user.id}`, t.sut.as(t.office.agent));
    assert.deepEqual(staff.body.results.map((t: { id: string }) => t.id), [b.id]);
    const elsewhere = await get(`/api/payments/transactions/?user_id=${mine.user.id}`, t.sut.as(t.otherOffice.admin));
    assert.equal(elsewhere.body.count, 0);
    assert.ok(a.id);
  });

  it("refuses amounts that are not a whole positive number of XOF within the ceiling, naming the field", async () => {
    const base = { service_id: t.otherOffice.service.id, method: "wave", phone: "+221771234567" };
    for (const amount of [0, -100, 1999.5, 500001, "2000"]) assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount }), "body.amount");
    assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount: 2500 }), "body.amount"); // not the service's fee
    assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount: 2000, method: "paypal" }), "body.method");
    assertInvalidField(await t.sut.pay(t.citizen, { ...base, amount: 2000, phone: "77 123 45 67" }), "body.phone");
    assertInvalidField(await refund(t.office.admin, { transaction_id: "x", amount: 0 }), "body.amount");
    assertInvalidField(await get("/api/payments/transactions/?status=paid", t.sut.as(t.citizen)), "query.status");
  });
});
