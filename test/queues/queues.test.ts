import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aService } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";
import { aCounter, aQueue, aRunningQueue, aTicket } from "../support/queues.ts";
import { eventually } from "../support/eventually.ts";

const QUEUES = "/api/queues/queues/";
const queue = (id: string) => `${QUEUES}${id}/`;

describe("/api/queues/queues/", () => {
  it("lets an org admin create a queue in a branch of their organisation", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const reply = await post(QUEUES, { organization_id: org.id, branch_id: branch.id, name: "Dépôts", prefix: "D", policy: { max_recalls: 3 } }, { token: admin.access });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.headers.get("location"), queue(reply.body.id));
    assert.deepEqual([reply.body.branch_id, reply.body.prefix, reply.body.policy.max_recalls], [branch.id, "D", 3]);
    assert.equal((await get(queue(reply.body.id), { token: (await aCitizen()).access })).body.name, "Dépôts");
  });

  it("refuses agents, citizens and other organisations' admins creating or changing queues", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const existing = await aQueue(admin, org.id);
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    for (const who of [await anAgent(org.id), await aCitizen(), foreignAdmin]) {
      assertError(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "X" }, { token: who.access }), 403, "forbidden");
      assertError(await put(queue(existing.id), { name: "Hijacked" }, { token: who.access }), 403, "forbidden");
      assertError(await del(queue(existing.id), { token: who.access }), 403, "forbidden");
    }
    assert.equal((await get(queue(existing.id), { token: admin.access })).body.name, "Caisse");
  });

  it("refuses a queue on another organisation's service, so it never receives that organisation's check-ins", async () => {
    const victim = await anAdministeredOrganization();
    const service = await aService(victim.admin, victim.org.id);
    const { org, admin } = await anAdministeredOrganization();
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "Piège", prefix: "P", service_id: service.id }, { token: admin.access }), "body.service_id");
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "Piège", prefix: "P", service_id: "0123456789abcdef01234567" }, { token: admin.access }), "body.service_id");
    const own = await post(QUEUES, { organization_id: victim.org.id, name: "Dépôts", prefix: "D", service_id: service.id }, { token: victim.admin.access });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    assert.equal((await get(`${QUEUES}?organization_id=${org.id}`, { token: admin.access })).body.count, 0);
  });

  it("rejects bad input and anonymous calls", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const as = { token: admin.access };
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "toolong" }, as), "body.prefix");
    assertInvalidField(await post(QUEUES, { organization_id: org.id, prefix: "A" }, as), "body.name");
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "A", policy: { max_recalls: -1 } }, as), "body.policy.max_recalls");
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "A", policy: { target_wait_minutes: 0 } }, as), "body.policy.target_wait_minutes");
    assertInvalidField(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "A", size: 3 }, as), "body");
    const foreign = await anAdministeredOrganization();
    const foreignBranch = await aBranch(foreign.admin, foreign.org.id);
    assertInvalidField(await post(QUEUES, { organization_id: org.id, branch_id: foreignBranch.id, name: "X", prefix: "A" }, as), "body.branch_id");
    await assertRefusesBadBodies("POST", QUEUES, admin.access);
    assertError(await get(QUEUES), 401, "not_authenticated");
    assertError(await post(QUEUES, { organization_id: org.id, name: "X", prefix: "A" }), 401, "not_authenticated");
    assertError(await get(queue("0123456789abcdef01234567"), as), 404, "not_found");
  });

  it("lists queues by organisation, paginated", async () => {
    const { org, admin } = await anAdministeredOrganization();
    for (const prefix of ["A", "B", "C"]) await aQueue(admin, org.id, { prefix, name: `File ${prefix}` });
    const as = { token: admin.access };
    const first = await get(`${QUEUES}?organization_id=${org.id}&page_size=2&ordering=-name`, as);
    assertPage(first, 3, 2);
    assert.equal(first.body.results[0].name, "File C");
    assertPage(await get(`${QUEUES}?organization_id=${org.id}&search=file%20b`, as), 1, 1);
  });

  it("updates the name and policy; the new recall limit applies to the live queue", async () => {
    const { queue: q, admin, agent, counters } = await aRunningQueue(1);
    const updated = await put(queue(q.id), { name: "Caisse principale", policy: { max_recalls: 0, target_wait_minutes: 20 } }, { token: admin.access });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.name, "Caisse principale");
    assert.equal(updated.body.policy.target_wait_ms, 20 * 60_000);
    const t = await aTicket(await aCitizen(), q.id);
    await post(`/api/queues/tickets/${t.id}/call/`, { counter_id: counters[0] }, { token: agent.access });
    assert.equal((await post(`/api/queues/tickets/${t.id}/no-show/`, {}, { token: agent.access })).body.status, "no_show");
    await assertRefusesBadBodies("PUT", queue(q.id), admin.access);
  });

  it("deletes a queue without open tickets, and refuses one with them (409)", async () => {
    const { queue: q, admin } = await aRunningQueue();
    await aTicket(await aCitizen(), q.id);
    assertError(await del(queue(q.id), { token: admin.access }), 409, "conflict");
    const { queue: empty, admin: otherAdmin } = await aRunningQueue();
    assert.equal((await del(queue(empty.id), { token: otherAdmin.access })).status, 204);
    assertError(await get(queue(empty.id), { token: otherAdmin.access }), 404, "not_found");
  });
});

describe("/api/queues/queues/{id}/status/ and counters", () => {
  it("plans a queue's waits with its service's expected duration, unless its policy names one", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const service = await aService(admin, org.id, { expected_duration_minutes: 12 });
    const counted = async (extra: Record<string, unknown>) => {
      const made = await post(QUEUES, { organization_id: org.id, service_id: service.id, name: "Dépôts", prefix: "D", ...extra }, { token: admin.access });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return (await get(`${queue(made.body.id)}status/`, { token: admin.access })).body.estimate;
    };
    assert.deepEqual(await counted({}), { service_ms: 12 * 60_000, basis: "expected", observed_services: 0 });
    assert.equal((await counted({ policy: { default_service_minutes: 3 } })).service_ms, 3 * 60_000);
  });

  it("shows who is served at each counter, the waiting count and the next tickets", async () => {
    const { queue: q, agent, counters } = await aRunningQueue(2);
    const citizen = await aCitizen();
    const tickets = [];
    for (let i = 0; i < 4; i++) tickets.push(await aTicket(citizen, q.id));
    await post(`${queue(q.id)}call-next/`, { counter_id: counters[0] }, { token: agent.access });
    const status = await get(`${queue(q.id)}status/`, { token: citizen.access });
    assert.equal(status.status, 200);
    assert.equal(status.body.waiting_count, 3);
    assert.deepEqual(status.body.now_serving.map((s: { number: string }) => s.number), ["A-001"]);
    assert.deepEqual(status.body.next.map((n: { position: number }) => n.position), [1, 2, 3]);
    assert.ok(status.body.version >= 7);
    // Numbers for the public; the ticket ids behind them for the organisation's staff only.
    assert.ok(!JSON.stringify(status.body).includes(tickets[1].id));
    const staff = await get(`${queue(q.id)}status/`, { token: agent.access });
    assert.deepEqual([staff.body.now_serving[0].ticket_id, staff.body.next[0].ticket_id], [tickets[0].id, tickets[1].id]);
  });

  it("opens and closes counters; a closed counter cannot call", async () => {
    const { queue: q, admin, agent } = await aRunningQueue(0);
    const counter = await aCounter(admin, q.id, "Guichet 7");
    const listed = await get(`${queue(q.id)}counters/`, { token: agent.access });
    assert.deepEqual(listed.body.map((c: { name: string; open: boolean }) => [c.name, c.open]), [["Guichet 7", true]]);
    const closed = await put(`${queue(q.id)}counters/${counter}/`, { open: false }, { token: agent.access });
    assert.equal(closed.body.open, false);
    await aTicket(await aCitizen(), q.id);
    assertError(await post(`${queue(q.id)}call-next/`, { counter_id: counter }, { token: agent.access }), 409, "counter_closed");
    assertError(await post(`${queue(q.id)}call-next/`, { counter_id: "nope" }, { token: agent.access }), 404, "not_found");
    assertInvalidField(await put(`${queue(q.id)}counters/${counter}/`, { open: "yes" }, { token: agent.access }), "body.open");
    const outsider = await anAgent((await anAdministeredOrganization()).org.id);
    assertError(await put(`${queue(q.id)}counters/${counter}/`, { open: true }, { token: outsider.access }), 403, "forbidden");
    assertError(await get(`${queue(q.id)}counters/`, { token: outsider.access }), 403, "forbidden");
  });

  it("sets a counter to the state it already has without changing anything", async () => {
    const { queue: q, admin, agent } = await aRunningQueue(0);
    const counter = await aCounter(admin, q.id, "Guichet 8");
    const before = (await get(`${queue(q.id)}status/`, { token: agent.access })).body.version;
    const again = await put(`${queue(q.id)}counters/${counter}/`, { open: true }, { token: agent.access });
    assert.deepEqual([again.status, again.body.id, again.body.name, again.body.open], [200, counter, "Guichet 8", true]);
    assert.equal((await get(`${queue(q.id)}status/`, { token: agent.access })).body.version, before, "no command was committed");
    // Another name for an open counter is a change it cannot make.
    assertError(await put(`${queue(q.id)}counters/${counter}/`, { open: true, name: "Guichet 9" }, { token: agent.access }), 409, "invalid_transition");
    assert.equal((await put(`${queue(q.id)}counters/${counter}/`, { open: false }, { token: agent.access })).body.open, false);
    const closedAgain = await put(`${queue(q.id)}counters/${counter}/`, { open: false }, { token: agent.access });
    assert.deepEqual([closedAgain.status, closedAgain.body.open], [200, false]);
  });

  it("rejects bad input on the operating endpoints, and another organisation's admin adding counters", async () => {
    const { queue: q, admin, agent, counters } = await aRunningQueue(1);
    const t = await aTicket(await aCitizen(), q.id);
    const as = { token: agent.access };
    assertInvalidField(await post(`${queue(q.id)}counters/`, { name: "" }, { token: admin.access }), "body.name");
    assertInvalidField(await post(`${queue(q.id)}counters/`, { name: "G", desk: 2 }, { token: admin.access }), "body");
    assertInvalidField(await post(`${queue(q.id)}call-next/`, {}, as), "body.counter_id");
    assertInvalidField(await post(`${queue(q.id)}pause/`, { now: true }, as), "body");
    assertInvalidField(await post(`${queue(q.id)}close/`, { reason: 7 }, as), "body.reason");
    assertInvalidField(await post(`/api/queues/tickets/${t.id}/call/`, { counter_id: 3 }, as), "body.counter_id");
    assertInvalidField(await post(`/api/queues/tickets/${t.id}/recall/`, { twice: true }, as), "body");
    await assertRefusesBadBodies("POST", `${queue(q.id)}call-next/`, agent.access);
    assertError(await post(`${queue(q.id)}call-next/`, { counter_id: counters[0] }), 401, "not_authenticated");
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    assertError(await post(`${queue(q.id)}counters/`, { name: "Intrus" }, { token: foreignAdmin.access }), 403, "forbidden");
    assert.equal((await get(`${queue(q.id)}counters/`, as)).body.length, 1);
  });

  it("pauses calls, resumes, and closing expires the waiting tickets", async () => {
    const { queue: q, agent, counters } = await aRunningQueue(1);
    const citizen = await aCitizen();
    const waiting = await aTicket(citizen, q.id);
    const as = { token: agent.access };
    assert.equal((await post(`${queue(q.id)}pause/`, {}, as)).status, 200);
    assertError(await post(`${queue(q.id)}call-next/`, { counter_id: counters[0] }, as), 409, "queue_paused");
    assert.equal((await post(`${queue(q.id)}resume/`, {}, as)).status, 200);
    assert.equal((await post(`${queue(q.id)}close/`, { reason: "fin de journée" }, as)).status, 200);
    const expired = await get(`/api/queues/tickets/${waiting.id}/`, { token: citizen.access });
    assert.deepEqual([expired.body.status, expired.body.reason], ["expired", "fin de journée"]);
    assertError(await post("/api/queues/tickets/", { queue_id: q.id }, { token: citizen.access }), 409, "queue_closed");
    assert.equal((await post(`${queue(q.id)}open/`, {}, as)).status, 200);
    const outsider = await anAgent((await anAdministeredOrganization()).org.id);
    assertError(await post(`${queue(q.id)}pause/`, {}, { token: outsider.access }), 403, "forbidden");
  });
});

describe("/api/queues/analytics/", () => {
  it("gives the day's figures of the caller's organisation from analytics' rollups", async () => {
    const { queue: q, agent, admin, counters } = await aRunningQueue(1);
    for (let i = 0; i < 3; i++) await aTicket(await aCitizen(), q.id);
    await post(`${queue(q.id)}call-next/`, { counter_id: counters[0] }, { token: agent.access });
    // Counted behind the queue's events (services/analytics), so it is awaited.
    const reply = await eventually(() => get("/api/queues/analytics/", { token: admin.access }), (r) => r.status !== 200 || r.body.called === 1);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual([reply.body.organization_id, reply.body.issued, reply.body.called, reply.body.wait.count, reply.body.queues], [q.organization_id, 3, 1, 1, 1]);
    assertError(await get("/api/queues/analytics/", { token: (await aCitizen()).access }), 403, "forbidden");
    assertError(await get(`/api/queues/analytics/?organization_id=${q.organization_id}`, { token: (await anAgent((await anAdministeredOrganization()).org.id)).access }), 403, "forbidden");
    assertError(await get("/api/queues/analytics/"), 401, "not_authenticated");
    assertInvalidField(await get("/api/queues/analytics/?day=today", { token: admin.access }), "query.day");
  });
});
