// The queue engine's changes notify citizens: "you are called to counter N" and "your turn
// is near", in their inbox and by SMS, once however many nodes hear the broadcast.
import assert from "node:assert/strict";
import { aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { deliveriesTo, NOTIFICATIONS, waitFor } from "./notification-fixtures.ts";

const inbox = async (token: string) => (await get(`${NOTIFICATIONS}?page_size=100`, { token })).body.results as any[];

async function callNext(agent: { access: string }, queueId: string, counterId: string) {
  const reply = await post(`/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, { token: agent.access });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

describe("notifications driven by queue changes", () => {
  it("tells a called citizen which counter to go to, in the inbox and by SMS", async () => {
    const { queue, agent, counters } = await aRunningQueue();
    const citizen = await aCitizen();
    const mine = await aTicket(citizen, queue.id);
    await callNext(agent, queue.id, counters[0]);
    const called = await waitFor(async () => (await inbox(citizen.access)).find((n) => n.event === "ticket.called"), 5000, "the call in the inbox");
    assert.equal(called.body, `Ticket ${mine.number} : présentez-vous au Guichet 1.`);
    const sms = await waitFor(async () => (await deliveriesTo(citizen.user.id)).find((d) => d.event === "ticket.called" && d.status !== "queued"), 5000, "the SMS");
    assert.deepEqual([sms.recipient, sms.status, sms.message.text], [citizen.user.phone, "sent", called.body]);
  });

  it("tells a citizen their turn is near at each new place, by SMS only once", async () => {
    const { queue, agent, counters } = await aRunningQueue();
    const citizen = await aCitizen({ locale: "en" });
    await aTicket(await aCitizen(), queue.id);
    const mine = await aTicket(citizen, queue.id);
    await waitFor(async () => (await inbox(citizen.access)).some((n) => n.data.position === 2), 5000, "place 2");
    await callNext(agent, queue.id, counters[0]);
    const near = await waitFor(async () => {
      const found = (await inbox(citizen.access)).filter((n) => n.event === "turn_near");
      return found.length === 2 && found;
    }, 5000, "place 1");
    assert.deepEqual(near.map((n) => n.data.position).sort(), [1, 2]);
    assert.match(near.find((n) => n.data.position === 1).body, new RegExp(`^Ticket ${mine.number}: you are number 1 in the queue, about \\d+ min to wait\\.$`));
    const sms = (await deliveriesTo(citizen.user.id)).filter((d) => d.event === "turn_near");
    assert.equal(sms.length, 1);
    assert.match(sms[0].message.text, /you are number 2 in the queue/);
  });

  it("sends once when the same change is heard twice, as by two nodes", async () => {
    const citizen = await aCitizen();
    const ticket = { id: `t-${citizen.user.id}`, user_id: citizen.user.id, number: "C-042", status: "called" };
    const change = {
      queue_id: `q-${citizen.user.id}`, organization_id: "o", branch_id: null, from_version: 7, version: 7, sent_at: Date.now(), next: [],
      events: [{ type: "ticket.called", queue_id: `q-${citizen.user.id}`, version: 7, ticket, counter_name: "Guichet 4" }],
    };
    const { broker } = system().node;
    await Promise.all([broker.broadcast("queue.changed", change), broker.broadcast("queue.changed", change)]);
    await waitFor(async () => (await deliveriesTo(citizen.user.id)).length > 0, 5000, "the SMS");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await inbox(citizen.access)).length, 1);
    assert.equal((await deliveriesTo(citizen.user.id)).length, 1);
  });
});
