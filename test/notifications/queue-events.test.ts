// The queue engine's changes notify citizens: "you are called to counter N" and "your turn
// is near", in their inbox and by SMS, once however many nodes hear the broadcast.
import assert from "node:assert/strict";
import { aCitizen } from "../support/fixtures.ts";
import { get, post, put } from "../support/http.ts";
import { QueueNotifications } from "../../services/notifications/queue-events.ts";
import type { QueueChanged } from "../../services/events.ts";
import type { NearPreference } from "../../actors/queue/index.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { deliveriesTo, NOTIFICATIONS, waitFor } from "./notification-fixtures.ts";

const inbox = async (token: string) => (await get(`${NOTIFICATIONS}?page_size=100`, { token })).body.results as any[];

async function callNext(agent: { access: string }, queueId: string, counterId: string) {
  const reply = await post(`/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, { token: agent.access });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

/** A change announcing one waiting ticket of user u1 at `position`, with or without a choice. */
const announcing = (position: number, notify_near?: QueueChanged["next"][number]["notify_near"]): QueueChanged => ({
  queue_id: "q1", organization_id: "o1", branch_id: null, from_version: position, version: position, sent_at: 0,
  events: [{ type: "ticket.completed", queue_id: "q1", version: position }],
  next: [{ ticket_id: "t1", number: "A-007", user_id: "u1", position, estimated_wait_ms: position * 60_000, notify_near }],
});

describe("what a queue change asks notifications for", () => {
  it("by default: the inbox and push at each new place, one SMS", () => {
    const asked = new QueueNotifications(3);
    assert.deepEqual(asked.requests(announcing(3)).map((r) => [r.channels, r.idempotency_key]), [
      [["in_app", "push"], "queue:q1:turn_near:t1:p3"],
      [["sms"], "queue:q1:turn_near:t1"],
    ]);
  });

  it("asks for the SMS again at the next place only if it failed, and forgets it once the ticket ends", () => {
    const asked = new QueueNotifications(4);
    const sms = (requests: ReturnType<QueueNotifications["requests"]>) => requests.filter((r) => r.channels?.includes("sms"));
    const [failed] = sms(asked.requests(announcing(4)));
    assert.ok(failed, "asked at the first place");
    assert.deepEqual(sms(asked.requests(announcing(3))), [], "in flight: not asked again");
    asked.failed(failed);
    const [again] = sms(asked.requests(announcing(2)));
    assert.ok(again, "asked again: the first asking failed");
    asked.carriedOut(again);
    assert.deepEqual(sms(asked.requests(announcing(1))), [], "carried out: not asked at the next place");
    const ended = { ...announcing(1), events: [{ type: "ticket.completed", queue_id: "q1", version: 9, ticket: { id: "t1", user_id: "u1" } }], next: [] };
    asked.requests(ended);
    assert.equal(sms(asked.requests(announcing(3))).length, 1, "a ticket of that id waiting again (transferred back) is asked for anew");
  });

  it("on the citizen's channels only, from the place they chose", () => {
    const asked = new QueueNotifications(3);
    const smsFromSix: NearPreference = { by: "position", within: 6, channels: ["sms"] };
    assert.deepEqual(asked.requests(announcing(7, smsFromSix)), []);
    assert.deepEqual(asked.requests(announcing(6, smsFromSix)).map((r) => [r.channels, r.data.position]), [[["sms"], 6]]);
    const pushOnly: NearPreference = { by: "position", within: 6, channels: ["push"] };
    assert.deepEqual(asked.requests(announcing(5, pushOnly)).map((r) => r.channels), [["push"]]);
  });
});

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
    // A broadcast made here resolves once this node's handlers are done with it: both are.
    await Promise.all([broker.broadcast("queue.changed", change), broker.broadcast("queue.changed", change)]);
    assert.equal((await inbox(citizen.access)).length, 1);
    assert.equal((await deliveriesTo(citizen.user.id)).length, 1);
  });

  it("tells a citizen as they chose on their ticket, and as they change it", async () => {
    const { queue, agent, counters } = await aRunningQueue();
    const citizen = await aCitizen({ locale: "en" });
    for (let i = 0; i < 6; i++) await aTicket(await aCitizen(), queue.id);
    const mine = await aTicket(citizen, queue.id, { notify_near: { by: "position", within: 6, channels: ["sms"] } });
    assert.deepEqual(mine.notify_near, { by: "position", within: 6, channels: ["sms"] });
    const first = await callNext(agent, queue.id, counters[0]);
    const sms = await waitFor(async () => (await deliveriesTo(citizen.user.id)).find((d) => d.event === "turn_near"), 5000, "the SMS at place 6");
    assert.match(sms.message.text, /you are number 6 in the queue/);
    // The inbox would have had place 6 before the SMS was asked for: it chose SMS only.
    assert.deepEqual((await inbox(citizen.access)).filter((n) => n.event === "turn_near"), []);

    const changed = await put(`/api/queues/tickets/${mine.id}/notify-near/`, { notify_near: { by: "position", within: 5, channels: ["in_app"] } }, { token: citizen.access });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.notify_near, { by: "position", within: 5, channels: ["in_app"] });
    for (const step of ["start", "complete"]) await post(`/api/queues/tickets/${first.id}/${step}/`, {}, { token: agent.access });
    await callNext(agent, queue.id, counters[0]);
    const inApp = await waitFor(async () => (await inbox(citizen.access)).find((n) => n.event === "turn_near"), 5000, "place 5 in the inbox");
    assert.equal(inApp.data.position, 5);
    assert.equal((await deliveriesTo(citizen.user.id)).filter((d) => d.event === "turn_near").length, 1, "no second SMS");
  });

  it("refuses a choice nobody could be told of, out of bounds, or on someone else's ticket", async () => {
    const { queue, agent } = await aRunningQueue();
    const citizen = await aCitizen();
    const mine = await aTicket(citizen, queue.id);
    const path = `/api/queues/tickets/${mine.id}/notify-near/`;
    const tooFar = await put(path, { notify_near: { by: "minutes", within: 241 } }, { token: citizen.access });
    assert.equal(tooFar.status, 400);
    assert.equal(tooFar.body.error.details.fields[0].path, "body.notify_near.within");
    const unknown = await put(path, { notify_near: { by: "position", within: 3, channels: ["pigeon"] } }, { token: citizen.access });
    assert.equal(unknown.status, 400);
    assert.equal((await put(path, { notify_near: null }, { token: (await aCitizen()).access })).status, 404, "another citizen's ticket");
    assert.equal((await put(path, { notify_near: null }, { token: (await aRunningQueue()).agent.access })).status, 404, "another organisation's agent");
    const kiosk = await post("/api/queues/tickets/", { queue_id: queue.id, channel: "kiosk", notify_near: { by: "position", within: 3 } }, { token: agent.access });
    assert.equal(kiosk.status, 400);
    assert.equal(kiosk.body.error.details.fields[0].path, "body.notify_near");
    const reset = await put(path, { notify_near: null }, { token: citizen.access });
    assert.deepEqual([reset.status, reset.body.notify_near], [200, null]);
  });
});
