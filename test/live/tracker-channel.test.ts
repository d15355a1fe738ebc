import assert from "node:assert/strict";
import { post } from "../support/http.ts";
import { assertRefused, closeClients, connect } from "../support/live-client.ts";
import { aCounter, aQueue, aRunningQueue, aTicket } from "../support/queues.ts";

const trackerPath = (code: string) => `/ws/tracker/${code}`;

describe("/ws/tracker/{code} (a ticket followed without an account)", () => {
  afterEach(closeClients);

  it("sends what the tracker shows, then again as the queue moves, names nobody, and closes once the ticket has ended", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue();
    const first = await aTicket(admin, queue.id);
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const { code } = (await post(`/api/queues/tickets/${ticket.id}/tracker/`, undefined, { token: admin.access })).body;
    const client = await connect(trackerPath(code), {});
    const shown = await client.next("tracked");
    assert.deepEqual([shown.ticket.number, shown.ticket.status, shown.ticket.position], ["A-002", "waiting", 2]);
    const as = { token: agent.access };
    const step = async (path: string, body?: object) => assert.equal((await post(path, body, as)).status, 200);
    const seen = (ready: (t: any) => boolean, what: string) => client.until((messages) => messages.some((m) => m.type === "tracked" && ready(m.ticket)), what);

    await step(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] });
    await seen((t) => t.position === 1, "first in line");
    for (const action of ["start", "complete"]) await step(`/api/queues/tickets/${first.id}/${action}/`);
    await step(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] });
    await seen((t) => t.status === "called" && t.counter_name === "Guichet 1", "called to Guichet 1");
    for (const secret of [ticket.id, first.id, queue.id, queue.organization_id]) assert.ok(!JSON.stringify(client.messages).includes(secret), `${secret} was sent`);
    for (const action of ["start", "complete"]) await step(`/api/queues/tickets/${ticket.id}/${action}/`);
    await seen((t) => t.status === "completed", "completed");
    assert.equal(await client.closed(), 1000);
  });

  it("follows a ticket transferred to another queue, and moves with that queue", async () => {
    const { org, admin, agent, queue } = await aRunningQueue();
    const other = await aQueue(admin, org.id, { name: "Conseil", prefix: "B" });
    const counter = await aCounter(admin, other.id, "Guichet 7");
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const { code } = (await post(`/api/queues/tickets/${ticket.id}/tracker/`, undefined, { token: admin.access })).body;
    const client = await connect(trackerPath(code), {});
    await client.next("tracked");
    const seen = (ready: (t: any) => boolean, what: string) => client.until((messages) => messages.some((m) => m.type === "tracked" && ready(m.ticket)), what);
    await aTicket(admin, other.id);
    assert.equal((await post(`/api/queues/tickets/${ticket.id}/transfer/`, { queue_id: other.id }, { token: agent.access })).status, 200);
    // It keeps its issue time: ahead of the ticket taken there after it.
    await seen((t) => t.queue_name === "Conseil" && t.position === 1, "first in the queue it was sent to");
    assert.ok(!client.messages.some((m) => m.ticket?.status === "transferred"), "the move between queues is not news to the citizen");
    assert.equal((await post(`/api/queues/queues/${other.id}/call-next/`, { counter_id: counter }, { token: agent.access })).status, 200);
    await seen((t) => t.status === "called" && t.counter_name === "Guichet 7", "called to a counter of that queue");
  });

  it("refuses an unknown or malformed code with the error shape", async () => {
    await assertRefused(trackerPath("A".repeat(22)), {}, 404, "not_found");
    await assertRefused(trackerPath("short"), {}, 400, "validation_failed");
  });
});
