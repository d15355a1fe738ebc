import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { Types } from "mongoose";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization, anAgent } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";
import { aCounter, aQueue, aRunningQueue, aTicket } from "../support/queues.ts";
import { eventually } from "../support/eventually.ts";

const TICKETS = "/api/queues/tickets/";
const ticket = (id: string) => `${TICKETS}${id}/`;

describe("/api/queues/tickets/", () => {
  it("issues numbered tickets to citizens, durable and visible at once", async () => {
    const { queue } = await aRunningQueue();
    const citizen = await aCitizen();
    const first = await aTicket(citizen, queue.id);
    const second = await aTicket(citizen, queue.id);
    assert.deepEqual([first.number, second.number], ["A-001", "A-002"]);
    assert.deepEqual([first.status, first.channel, first.priority, first.user_id], ["waiting", "mobile", "normal", citizen.user.id]);
    const shown = await get(ticket(second.id), { token: citizen.access });
    assert.equal(shown.status, 200);
    assert.deepEqual([shown.body.position, shown.body.number], [2, "A-002"]);
    assert.ok(shown.body.estimated_wait_seconds > 0);
  });

  it("calls the next ticket to a counter, elderly before an earlier normal one", async () => {
    const { queue, agent, counters } = await aRunningQueue(1);
    const citizen = await aCitizen();
    const normal = await aTicket(citizen, queue.id);
    const elderly = await aTicket(await aCitizen(), queue.id, { priority: "elderly" });
    const called = await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, { token: agent.access });
    assert.equal(called.status, 200, JSON.stringify(called.body));
    assert.deepEqual([called.body.id, called.body.status, called.body.counter_id], [elderly.id, "called", counters[0]]);
    assertError(await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, { token: agent.access }), 409, "counter_busy");
    assert.equal((await get(ticket(normal.id), { token: citizen.access })).body.position, 1);
  });

  it("walks a ticket through call, recall, start and complete", async () => {
    const { queue, agent, counters } = await aRunningQueue(1);
    const mine = await aTicket(await aCitizen(), queue.id);
    const as = { token: agent.access };
    assert.equal((await post(`${ticket(mine.id)}call/`, { counter_id: counters[0] }, as)).body.status, "called");
    assert.equal((await post(`${ticket(mine.id)}recall/`, {}, as)).body.recalls, 1);
    assert.equal((await post(`${ticket(mine.id)}start/`, {}, as)).body.status, "serving");
    const done = await post(`${ticket(mine.id)}complete/`, {}, as);
    assert.deepEqual([done.status, done.body.status], [200, "completed"]);
    assert.ok(done.body.finished_at);
    assertError(await post(`${ticket(mine.id)}start/`, {}, as), 404, "not_found");
    assert.equal((await get(ticket(mine.id), as)).body.status, "completed");
  });

  it("marks a no-show only after the configured recalls", async () => {
    const { queue, agent, counters } = await aRunningQueue(1, { policy: { max_recalls: 1 } });
    const mine = await aTicket(await aCitizen(), queue.id);
    const as = { token: agent.access };
    await post(`${ticket(mine.id)}call/`, { counter_id: counters[0] }, as);
    assertError(await post(`${ticket(mine.id)}no-show/`, {}, as), 409, "recalls_remaining");
    await post(`${ticket(mine.id)}recall/`, {}, as);
    assert.equal((await post(`${ticket(mine.id)}no-show/`, {}, as)).body.status, "no_show");
  });

  it("lets the citizen cancel their ticket with DELETE, and nobody else's", async () => {
    const { queue } = await aRunningQueue();
    const citizen = await aCitizen();
    const mine = await aTicket(citizen, queue.id);
    const stranger = await aCitizen();
    assertError(await del(ticket(mine.id), { token: stranger.access }), 404, "not_found");
    assert.equal((await del(ticket(mine.id), { token: citizen.access })).status, 204);
    assert.equal((await get(ticket(mine.id), { token: citizen.access })).body.status, "cancelled");
    assertError(await del(ticket(mine.id), { token: citizen.access }), 404, "not_found");
  });

  it("lists a citizen's tickets as they are now: called, moved to another queue, cancelled", async () => {
    const setup = await aRunningQueue(1);
    const other = await aQueue(setup.admin, setup.org.id, { name: "Conseil", prefix: "B" });
    const citizen = await aCitizen();
    const [called, moved, cancelled] = [await aTicket(citizen, setup.queue.id), await aTicket(citizen, setup.queue.id), await aTicket(citizen, setup.queue.id)];
    const as = { token: setup.agent.access };
    assert.equal((await post(`${ticket(called.id)}call/`, { counter_id: setup.counters[0] }, as)).status, 200);
    assert.equal((await put(ticket(moved.id), { queue_id: other.id }, as)).status, 200);
    assert.equal((await del(ticket(cancelled.id), { token: citizen.access })).status, 204);
    const now = (body: any) => Object.fromEntries(body.results.map((row: any) => [row.id, `${row.status} ${row.queue_id}`]));
    const expected = { [called.id]: `called ${setup.queue.id}`, [moved.id]: `waiting ${other.id}`, [cancelled.id]: `cancelled ${setup.queue.id}` };
    const mine = await eventually(() => get(`${TICKETS}my/`, { token: citizen.access }), (r) => r.status === 200 && isDeepStrictEqual(now(r.body), expected));
    assert.deepEqual(now(mine.body), expected);
    const open = await get(`${TICKETS}my/?open=true`, { token: citizen.access });
    assert.deepEqual(open.body.results.map((row: any) => row.id).sort(), [called.id, moved.id].sort());
  });

  it("transfers a ticket to another queue of the organisation, keeping its number and issue time", async () => {
    const setup = await aRunningQueue(1);
    const other = await aQueue(setup.admin, setup.org.id, { name: "Conseil", prefix: "B" });
    const mine = await aTicket(await aCitizen(), setup.queue.id);
    const moved = await put(ticket(mine.id), { queue_id: other.id }, { token: setup.agent.access });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.queue_id, moved.body.number, moved.body.issued_at, moved.body.transferred_from], [other.id, "A-001", mine.issued_at, setup.queue.id]);
    const foreign = await anAdministeredOrganization();
    const foreignQueue = await aQueue(foreign.admin, foreign.org.id);
    assertInvalidField(await put(ticket(mine.id), { queue_id: foreignQueue.id }, { token: setup.agent.access }), "body.queue_id");
  });

  it("lets staff call, start and complete a transferred ticket in its new queue", async () => {
    const setup = await aRunningQueue(1);
    const other = await aQueue(setup.admin, setup.org.id, { name: "Conseil", prefix: "B" });
    const counter = await aCounter(setup.admin, other.id);
    const mine = await aTicket(await aCitizen(), setup.queue.id);
    assert.equal((await put(ticket(mine.id), { queue_id: other.id }, { token: setup.agent.access })).status, 200);
    const as = { token: setup.agent.access };
    await eventually(() => get(ticket(mine.id), as), (r) => r.body.queue_id === other.id);
    const called = await post(`${ticket(mine.id)}call/`, { counter_id: counter }, as);
    assert.deepEqual([called.status, called.body.queue_id, called.body.status], [200, other.id, "called"], JSON.stringify(called.body));
    assert.equal((await post(`${ticket(mine.id)}start/`, {}, as)).body.status, "serving");
    assert.equal((await post(`${ticket(mine.id)}complete/`, {}, as)).body.status, "completed");
    assertError(await post(`${ticket(mine.id)}complete/`, {}, as), 404, "not_found");
    // Staff lists show it once, in the queue it went to, as it ended there.
    const listed = async (query: string) => (await get(`${TICKETS}?${query}`, as)).body.results.filter((t: any) => t.id === mine.id).map((t: any) => [t.queue_id, t.status]);
    await eventually(() => listed(""), (found) => isDeepStrictEqual(found, [[other.id, "completed"]]));
    assert.deepEqual(await listed(`queue_id=${other.id}`), [[other.id, "completed"]]);
    assert.deepEqual(await listed(`queue_id=${setup.queue.id}`), []);
  });

  it("keeps a ticket in its queue, number and place when the target queue refuses it", async () => {
    const setup = await aRunningQueue(1);
    const closed = await aQueue(setup.admin, setup.org.id, { name: "Fermée", prefix: "C" });
    assert.equal((await post(`/api/queues/queues/${closed.id}/close/`, {}, { token: setup.agent.access })).status, 200);
    const citizen = await aCitizen();
    const mine = await aTicket(citizen, setup.queue.id);
    assertError(await put(ticket(mine.id), { queue_id: closed.id }, { token: setup.agent.access }), 409, "queue_closed");
    const back = await get(ticket(mine.id), { token: citizen.access });
    assert.deepEqual([back.body.queue_id, back.body.status, back.body.number, back.body.issued_at, back.body.position], [setup.queue.id, "waiting", mine.number, mine.issued_at, 1]);
  });

  it("shows citizens their own tickets only, and staff their organisation's", async () => {
    const { queue, agent } = await aRunningQueue();
    const citizen = await aCitizen();
    for (let i = 0; i < 3; i++) await aTicket(citizen, queue.id);
    await aTicket(await aCitizen(), queue.id);
    // Lists read the views of the tickets read model, written behind the acknowledgement.
    await eventually(() => get(`${TICKETS}?queue_id=${queue.id}`, { token: agent.access }), (r) => r.body.count === 4);
    const mine = await eventually(() => get(`${TICKETS}my/?page_size=2`, { token: citizen.access }), (r) => r.body.count === 3);
    assertPage(mine, 3, 2);
    assert.ok(mine.body.results[0].issued_at >= mine.body.results[1].issued_at, "newest first");
    assertPage(await get(`${TICKETS}my/?open=false`, { token: citizen.access }), 0, 0);
    // Staff lists show one day, today unless another is asked for.
    assertPage(await get(`${TICKETS}?queue_id=${queue.id}&day=2020-01-01`, { token: agent.access }), 0, 0);
    assertPage(await get(`${TICKETS}?page_size=2&page=2`, { token: citizen.access }), 3, 1);
    // A citizen's list of a day is their own rows of that day, of the queue asked for.
    assertPage(await get(`${TICKETS}?day=2020-01-01`, { token: citizen.access }), 0, 0);
    assertPage(await get(`${TICKETS}?queue_id=${queue.id}`, { token: citizen.access }), 3, 3);
    assertPage(await get(`${TICKETS}?queue_id=${new Types.ObjectId().toHexString()}`, { token: citizen.access }), 0, 0);
    assertPage(await get(`${TICKETS}?queue_id=${queue.id}`, { token: agent.access }), 4, 4);
    const outsider = await anAgent((await anAdministeredOrganization()).org.id);
    assertPage(await get(`${TICKETS}?queue_id=${queue.id}`, { token: outsider.access }), 0, 0);
    assertError(await get(ticket(mine.body.results[0].id), { token: outsider.access }), 404, "not_found");
  });

  it("lists a called or started ticket as its queue's owner knows it, with no row written for either step", async () => {
    const { queue, agent, counters } = await aRunningQueue(1);
    const citizen = await aCitizen();
    const first = await aTicket(citizen, queue.id);
    const second = await aTicket(citizen, queue.id);
    const as = { token: agent.access };
    await eventually(() => get(`${TICKETS}?queue_id=${queue.id}`, as), (r) => r.body.count === 2);
    await post(`${ticket(first.id)}call/`, { counter_id: counters[0] }, as);
    await post(`${ticket(first.id)}start/`, {}, as);
    // No eventually: the rows still say "waiting", the owner answers for both steps.
    const serving = await get(`${TICKETS}?queue_id=${queue.id}&status=serving`, as);
    assert.deepEqual(serving.body.results.map((t: { id: string; counter_id: string }) => [t.id, t.counter_id]), [[first.id, counters[0]]]);
    assert.equal((await get(`${TICKETS}?queue_id=${queue.id}&status=waiting`, as)).body.count, 1);
    const mine = await get(`${TICKETS}my/?open=true`, { token: citizen.access });
    assert.deepEqual(mine.body.results.map((t: { status: string }) => t.status).sort(), ["serving", "waiting"]);
    // A page of each list, with no status asked: the page's rows as their owner knows them.
    const firstOf = (body: any) => [body.count, body.results.length, body.results[0].id, body.results[0].status];
    assert.deepEqual(firstOf((await get(`${TICKETS}?queue_id=${queue.id}&page_size=1&ordering=issued_at`, as)).body), [2, 1, first.id, "serving"]);
    assert.deepEqual(firstOf((await get(`${TICKETS}my/?page_size=1&ordering=issued_at`, { token: citizen.access })).body), [2, 1, first.id, "serving"]);
    // Ordered by status, the page is cut once every row is as its owner knows it ("waiting" after "serving").
    assert.deepEqual(firstOf((await get(`${TICKETS}?queue_id=${queue.id}&page_size=1&ordering=-status`, as)).body), [2, 1, second.id, "waiting"]);
  });

  it("refuses another organisation's agent operating or issuing, and changes nothing", async () => {
    const { queue, counters } = await aRunningQueue(1);
    const mine = await aTicket(await aCitizen(), queue.id);
    const outsider = await anAgent((await anAdministeredOrganization()).org.id);
    const as = { token: outsider.access };
    assertError(await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, as), 403, "forbidden");
    assertError(await post(`${ticket(mine.id)}call/`, { counter_id: counters[0] }, as), 404, "not_found");
    assertError(await post(TICKETS, { queue_id: queue.id }, as), 403, "forbidden");
    assertError(await put(ticket(mine.id), { queue_id: queue.id }, as), 404, "not_found");
  });

  it("refuses a citizen a vip ticket or one for someone else", async () => {
    const { queue } = await aRunningQueue();
    const citizen = await aCitizen();
    assertError(await post(TICKETS, { queue_id: queue.id, priority: "vip" }, { token: citizen.access }), 403, "forbidden");
    assertError(await post(TICKETS, { queue_id: queue.id, user_id: citizen.user.id }, { token: citizen.access }), 403, "forbidden");
  });

  it("lets staff issue a ticket for a citizen who exists, and no one else", async () => {
    const { queue, agent } = await aRunningQueue();
    const citizen = await aCitizen();
    const forThem = await post(TICKETS, { queue_id: queue.id, user_id: citizen.user.id, channel: "kiosk" }, { token: agent.access });
    assert.deepEqual([forThem.status, forThem.body.user_id], [201, citizen.user.id]);
    assertInvalidField(await post(TICKETS, { queue_id: queue.id, user_id: "0123456789abcdef01234567" }, { token: agent.access }), "body.user_id");
  });

  it("rejects bad input, unknown queues and anonymous calls", async () => {
    const { queue } = await aRunningQueue();
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    assertInvalidField(await post(TICKETS, { queue_id: 42 }, as), "body.queue_id");
    assertInvalidField(await post(TICKETS, {}, as), "body.queue_id");
    assertInvalidField(await post(TICKETS, { queue_id: queue.id, priority: "royal" }, as), "body.priority");
    assertInvalidField(await post(TICKETS, { queue_id: queue.id, colour: "red" }, as), "body");
    assertError(await post(TICKETS, { queue_id: "0123456789abcdef01234567" }, as), 404, "not_found");
    await assertRefusesBadBodies("POST", TICKETS, citizen.access);
    assertError(await post(TICKETS, { queue_id: queue.id }), 401, "not_authenticated");
    assertError(await get(TICKETS), 401, "not_authenticated");
    assertError(await get(`${TICKETS}my/`), 401, "not_authenticated");
    // 401 before any lookup, whether the ticket exists or not.
    const mine = await aTicket(citizen, queue.id);
    for (const id of [mine.id, `${queue.id}-0123456789abcdef01234567`]) {
      assertError(await get(ticket(id)), 401, "not_authenticated");
      assertError(await del(ticket(id)), 401, "not_authenticated");
      assertError(await put(ticket(id), { queue_id: queue.id }), 401, "not_authenticated");
      assertError(await post(`${ticket(id)}start/`, {}), 401, "not_authenticated");
    }
    assert.equal((await get(ticket(mine.id), as)).body.status, "waiting");
    assertInvalidField(await get(`${TICKETS}?status=lost`, as), "query.status");
  });
});
