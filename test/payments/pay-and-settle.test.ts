// A payment from the app to the provider and back, per provider, against local stand-ins
// that speak each one's protocol: settled by the provider's webhook, by verify-payment, or
// by reconciliation when nobody asks.
import assert from "node:assert/strict";
import { eventually } from "../support/eventually.ts";
import { get, post } from "../support/http.ts";
import type { Session } from "../support/fixtures.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { heardFor } from "./payment-events.ts";

const METHODS = ["wave", "orange_money", "free_money"] as const;
type Method = (typeof METHODS)[number];

describe("payments: pay and settle, per provider", function () {
  this.timeout(60_000);
  const t = withAPaymentNode();

  const startPayment = async (method: Method) => {
    const reply = await t.sut.pay(t.citizen, { service_id: t.office.service.id, method, amount: 5000, phone: "+221771234567" });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };
  const standInOf = (method: Method) => ({ wave: t.sut.wave, orange_money: t.sut.orange, free_money: t.sut.paytech })[method];
  const notificationOf = (method: Method, id: string) =>
    method === "wave" ? t.sut.wave.webhook(id) : method === "orange_money" ? t.sut.orange.notification(id) : t.sut.paytech.ipn(id);
  const causes = (tx: { history: Array<{ from: string; to: string; cause: string }> }) => tx.history.map((t) => `${t.from}>${t.to}:${t.cause}`);
  const settledAs = (who: Session, id: string, status: string) =>
    eventually(() => t.sut.transaction(who, id), (r) => r.body.status === status).then((r) => r.body);

  it("lists the methods offered, with their fee and limits", async () => {
    const { body: methods } = await get("/api/payments/methods/", t.sut.as(t.citizen));
    assert.deepEqual(methods.results.map((m: { id: string }) => m.id), ["wave", "orange_money", "free_money"]);
    assert.deepEqual(methods.results[0], { id: "wave", name: "Wave", currency: "XOF", fee_percent: 1, min_amount: 1, max_amount: 500000, refunds: "partial" });
  });

  for (const method of METHODS) {
    it(`pays by ${method}: the provider's page, then its notification settles the payment once`, async () => {
      const started = await startPayment(method);
      assert.equal(started.status, "pending");
      assert.match(started.redirect_url, /^https:\/\//);
      assert.equal(started.amount, 5000);
      assert.equal("secrets" in started, false, "the provider's secrets are never shown");
      standInOf(method).pay(started.id);
      const reply = await t.sut.deliver(notificationOf(method, started.id));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.received, true);
      const paid = await settledAs(t.citizen, started.id, "succeeded");
      assert.deepEqual(causes(paid), ["created>pending:user", "pending>succeeded:webhook"]);
      const events = await eventually(async () => heardFor(t.heard, started.id), (h) => h.length > 0);
      assert.deepEqual(events.map((e) => [e.name, e.payload.amount, e.payload.organization_id]), [["payments.succeeded", 5000, t.office.org.id]]);
    });

    it(`settles the ${method} payment by verify-payment when the notification never comes`, async () => {
      const started = await startPayment(method);
      const unpaid = await post("/api/payments/verify-payment/", { transaction_id: started.id }, t.sut.as(t.citizen));
      assert.equal(unpaid.status, 200, JSON.stringify(unpaid.body));
      assert.equal(unpaid.body.status, "pending");
      standInOf(method).pay(started.id);
      const paid = await post("/api/payments/verify-payment/", { transaction_id: started.id }, t.sut.as(t.citizen));
      assert.equal(paid.body.status, "succeeded");
      assert.deepEqual(causes(paid.body), ["created>pending:user", "pending>succeeded:verification"]);
    });

    it(`settles the ${method} payment by reconciliation when nobody asks`, async () => {
      const started = await startPayment(method);
      standInOf(method).pay(started.id);
      const paid = await settledAs(t.citizen, started.id, "succeeded");
      assert.deepEqual(causes(paid), ["created>pending:user", "pending>succeeded:reconciliation"]);
    });
  }

  it("tells the payer, once, in the app that their payment was received", async () => {
    const payer = await t.sut.aCitizen();
    const reply = await t.sut.pay(payer, { service_id: t.office.service.id, method: "wave", amount: 5000, phone: "+221771234567" });
    t.sut.wave.pay(reply.body.id);
    await t.sut.deliver(t.sut.wave.webhook(reply.body.id));
    await post("/api/payments/verify-payment/", { transaction_id: reply.body.id }, t.sut.as(payer));
    const inbox = await eventually(() => get("/api/notifications/notifications/?event=payment.received", t.sut.as(payer)), (r) => r.body.count > 0);
    assert.equal(inbox.body.count, 1);
    assert.deepEqual([inbox.body.results[0].title, inbox.body.results[0].body], ["Paiement reçu", "Nous avons bien reçu votre paiement de 5000 FCFA par Wave. Merci."]);
  });

  it("answers the same payment, started once, to the same Idempotency-Key", async () => {
    const body = { service_id: t.office.service.id, method: "wave", amount: 5000, phone: "+221771234567" };
    const first = await t.sut.pay(t.citizen, body, { "idempotency-key": "pay-once-1" });
    const again = await t.sut.pay(t.citizen, body, { "idempotency-key": "pay-once-1" });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.redirect_url, first.body.redirect_url);
    assert.equal(again.body.history.length, 1);
    // Listed once, by its citizen and by its organisation's staff, however often it was asked for.
    for (const who of [t.citizen, t.office.admin]) {
      const listed = (await get("/api/payments/transactions/?page_size=100", t.sut.as(who))).body.results.filter((p: { id: string }) => p.id === first.body.id);
      assert.equal(listed.length, 1);
    }
  });

  it("starts a transaction created beforehand, by its id", async () => {
    const created = await post("/api/payments/transactions/", { service_id: t.office.service.id, method: "orange_money", amount: 5000, phone: "+221771234567" }, t.sut.as(t.citizen));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, "created");
    const started = await t.sut.pay(t.citizen, { transaction_id: created.body.id });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.status, "pending");
    assert.match(started.body.redirect_url, /pay_token/);
  });
});
