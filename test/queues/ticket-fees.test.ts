// A queue whose service has a fee issues a ticket only once the fee is paid (a succeeded
// payment of the ticket's citizen, for that service, paying no other ticket), or, by
// staff, to be paid at the counter; the ticket says which.
import assert from "node:assert/strict";
import { aStoredPayment } from "../payments/stored-payment.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aService, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue } from "../support/queues.ts";

describe("tickets for a service with a fee", () => {
  let org: { id: string };
  let admin: Session;
  let agent: Session;
  let citizen: Session;
  let service: { id: string };
  let queue: { id: string };

  before(async () => {
    const office = await anAdministeredOrganization();
    org = office.org;
    admin = office.admin;
    agent = await anAgent(org.id);
    citizen = await aCitizen();
    service = await aService(office.admin, org.id, { fee_xof: 2000 });
    queue = await aQueue(office.admin, org.id, { service_id: service.id });
  });

  const issue = (who: Session, body: Record<string, unknown>) => post("/api/queues/tickets/", { queue_id: queue.id, ...body }, { token: who.access });
  const paymentOf = (user: Session, serviceId = service.id) => aStoredPayment({ organization_id: org.id, user_id: user.user.id, service_id: serviceId });

  it("refuses a citizen's ticket until the fee is paid, and says how to pay", async () => {
    const reply = await issue(citizen, {});
    assert.equal(reply.status, 409, JSON.stringify(reply.body));
    assert.equal(reply.body.error.code, "payment_required");
    assert.match(reply.body.error.message, /2000 XOF.*process-payment/);
  });

  it("issues the ticket a succeeded payment pays, marked paid, and that payment pays no other", async () => {
    const payment = await paymentOf(citizen);
    const paid = await issue(citizen, { payment_id: payment.id });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    assert.deepEqual(paid.body.fee, { xof: 2000, payment_id: payment.id });
    const again = await issue(citizen, { payment_id: payment.id });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "payment_used");
    const read = await get(`/api/queues/tickets/${paid.body.id}/`, { token: agent.access });
    assert.deepEqual(read.body.fee, { xof: 2000, payment_id: payment.id }, "the agent sees it paid");
  });

  it("answers a retried request with the same ticket, not a refusal for a payment already used", async () => {
    const payment = await paymentOf(citizen);
    const key = { "idempotency-key": `fee-${payment.id}` };
    const first = await post("/api/queues/tickets/", { queue_id: queue.id, payment_id: payment.id }, { token: citizen.access, headers: key });
    const retry = await post("/api/queues/tickets/", { queue_id: queue.id, payment_id: payment.id }, { token: citizen.access, headers: key });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.id, first.body.id);
  });

  it("refuses another citizen's payment, one for another service, one short of the fee, and one unknown", async () => {
    const theirs = await paymentOf(await aCitizen());
    const elsewhere = await paymentOf(citizen, (await aService(admin, org.id)).id);
    for (const payment_id of [theirs.id, elsewhere.id, "pay_nothing_of_the_sort"]) {
      const reply = await issue(citizen, { payment_id });
      assert.equal(reply.status, 409, JSON.stringify(reply.body));
      assert.equal(reply.body.error.code, "payment_required");
    }
    // The stored payments are of 5,000 XOF: short of a 6,000 XOF fee.
    const dearer = await aService(admin, org.id, { fee_xof: 6000 });
    const dearQueue = await aQueue(admin, org.id, { service_id: dearer.id, prefix: "D" });
    const short = await post("/api/queues/tickets/", { queue_id: dearQueue.id, payment_id: (await paymentOf(citizen, dearer.id)).id }, { token: citizen.access });
    assert.equal(short.status, 409);
    assert.match(short.body.error.message, /less than the fee of 6000 XOF/);
  });

  it("keeps a payment for a later ticket when the queue refuses the ticket it was given for", async () => {
    const payment = await paymentOf(citizen);
    assert.equal((await post(`/api/queues/queues/${queue.id}/close/`, {}, { token: agent.access })).status, 200);
    const refused = await issue(citizen, { payment_id: payment.id });
    assert.equal(refused.body.error?.code, "queue_closed", JSON.stringify(refused.body));
    assert.equal((await post(`/api/queues/queues/${queue.id}/open/`, {}, { token: agent.access })).status, 200);
    const issued = await issue(citizen, { payment_id: payment.id });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
  });

  it("lets staff leave the fee to be paid at the counter, and no one else", async () => {
    const atCounter = await issue(agent, { pay_at_counter: true, user_id: citizen.user.id });
    assert.equal(atCounter.status, 201, JSON.stringify(atCounter.body));
    assert.deepEqual(atCounter.body.fee, { xof: 2000, payment_id: null });
    const byCitizen = await issue(citizen, { pay_at_counter: true });
    assert.equal(byCitizen.status, 403);
    const bare = await issue(agent, {});
    assert.equal(bare.body.error.code, "payment_required", "staff say how the fee is paid");
  });

  it("refuses bad input naming the field, and a payment for a queue without a fee", async () => {
    const bad = await issue(citizen, { payment_id: "not a payment id!" });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error.details), /payment_id/);
    const { org: free, admin } = await anAdministeredOrganization();
    const freeQueue = await aQueue(admin, free.id);
    const reply = await post("/api/queues/tickets/", { queue_id: freeQueue.id, payment_id: "pay_123" }, { token: citizen.access });
    assert.equal(reply.status, 400);
    assert.match(JSON.stringify(reply.body.error.details), /no fee/);
  });
});
