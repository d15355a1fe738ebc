// The analytics endpoints on a running node: figures counted from a queue's real events,
// each input checked, and nobody reading another organisation's figures or rows.
import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { aBranch, aCitizen, anAdministeredOrganization, aPlatformAdmin, type Session } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { aQueue, aTicket } from "../support/queues.ts";
import { anOfficeMorning } from "./office-morning.ts";

const DASHBOARD = "/api/analytics/dashboard/";
const STATS = "/api/analytics/queue-stats/";
const EXPORT = "/api/analytics/export/";
const today = () => new Date().toISOString().slice(0, 10);
const as = (who: Session) => ({ token: who.access });

describe("/api/analytics/", function () {
  let office: Awaited<ReturnType<typeof anOfficeMorning>>;
  let other: { org: { id: string }; admin: Session };

  before(async function () {
    this.timeout(60_000);
    [office, other] = await Promise.all([anOfficeMorning(), anAdministeredOrganization()]);
  });

  it("counts a queue's tickets once each in its queue-stats, by day and by hour", async () => {
    const stats = await eventually(
      () => get(`${STATS}?queue_id=${office.queue.id}`, as(office.admin)),
      (r) => r.status === 200 && r.body.totals.cancelled === 1 && r.body.totals.no_show === 1,
    );
    const t = stats.body.totals;
    assert.deepEqual([t.issued, t.called, t.served, t.no_show, t.cancelled], [3, 2, 1, 1, 1]);
    assert.deepEqual([t.served_within_target, t.served_within_target_share], [1, 1], "served within the queue's target");
    assert.deepEqual([t.wait.count, t.service.count], [2, 1]);
    assert.ok(t.wait.median_ms !== null && t.wait.p90_ms !== null);
    assert.equal(t.channels.mobile, 3);
    assert.deepEqual(t.abandoned_by_position, { "1": 1 }, "the cancelled ticket left first in line");
    assert.deepEqual(stats.body.results.map((r: { start: string }) => r.start), [today()]);
    const hourly = await get(`${STATS}?queue_id=${office.queue.id}&granularity=hour`, as(office.agent));
    assert.equal(hourly.status, 200, JSON.stringify(hourly.body));
    assert.equal(hourly.body.results.length, 24);
    assert.equal(hourly.body.results.reduce((n: number, r: { issued: number }) => n + r.issued, 0), 3);
  });

  it("shows an organisation's staff their dashboard for today and the last 7 days", async () => {
    const reply = await eventually(() => get(DASHBOARD, as(office.admin)), (r) => r.status === 200 && r.body.today.cancelled === 1);
    assert.equal(reply.body.organization_id, office.org.id);
    assert.equal(reply.body.queues_counted, 1);
    assert.equal(reply.body.today.issued, 3);
    assert.equal(reply.body.last_7_days.served, 1);
    assert.deepEqual([reply.body.today.served_within_target, reply.body.today.served_within_target_share], [1, 1]);
    assert.equal(reply.body.days.length, 7);
    assert.equal(reply.body.days.at(-1).day, today());
  });

  it("shows the platform admin the dashboard of the organisation it names, and asks it to name one", async () => {
    const admin = await aPlatformAdmin();
    const reply = await eventually(() => get(`${DASHBOARD}?organization_id=${office.org.id}`, as(admin)), (r) => r.status === 200 && r.body.today.issued === 3);
    assert.equal(reply.body.organization_id, office.org.id);
    assertInvalidField(await get(DASHBOARD, as(admin)), "query.organization_id");
    // An organisation that does not exist is not shown as one with nothing counted.
    for (const missing of ["0123456789abcdef01234567", "None"]) {
      const day = new Date().toISOString().slice(0, 10);
      for (const path of [`${DASHBOARD}?`, "/api/analytics/queue-stats/?", "/api/analytics/user-behavior/?", `/api/analytics/export/?kind=tickets&date_from=${day}&date_to=${day}&`]) {
        assertError(await get(`${path}organization_id=${missing}`, as(admin)), 404, "not_found");
      }
    }
  });

  it("breaks the dashboard's week down by queue, counter and agent", async () => {
    const reply = await eventually(() => get(DASHBOARD, as(office.admin)), (r) => r.status === 200 && r.body.last_7_days.by_agent[0]?.cancelled === 1);
    const week = reply.body.last_7_days;
    assert.deepEqual(week.by_queue.map((q: { queue_id: string; issued: number }) => [q.queue_id, q.issued]), [[office.queue.id, 3]]);
    assert.deepEqual(week.by_counter.map((c: { counter_id: string; called: number; served: number }) => [c.counter_id, c.called, c.served]), [[office.counters[0], 2, 1]]);
    const [agent] = week.by_agent;
    assert.deepEqual([agent.agent_id, agent.issued, agent.called, agent.served, agent.no_show, agent.cancelled], [office.agent.user.id, 0, 2, 1, 1, 1]);
  });

  it("shows a counter's and an agent's figures by day, and nothing of another organisation's agent", async () => {
    const counter = await eventually(
      () => get(`${STATS}?queue_id=${office.queue.id}&counter_id=${office.counters[0]}`, as(office.agent)),
      (r) => r.status === 200 && r.body.totals.no_show === 1,
    );
    assert.deepEqual([counter.body.scope, counter.body.counter_id, counter.body.totals.called, counter.body.totals.served, counter.body.totals.cancelled], ["counter", office.counters[0], 2, 1, 0]);
    assert.equal(counter.body.totals.service.count, 1);
    const agent = await get(`${STATS}?agent_id=${office.agent.user.id}`, as(office.admin));
    assert.deepEqual([agent.body.scope, agent.body.organization_id, agent.body.totals.called, agent.body.totals.cancelled], ["agent", office.org.id, 2, 1]);
    const elsewhere = await get(`${STATS}?agent_id=${office.agent.user.id}`, as(other.admin));
    assert.deepEqual([elsewhere.status, elsewhere.body.organization_id, elsewhere.body.totals.called], [200, other.org.id, 0]);
  });

  it("shows a branch's figures, and another organisation's branch as not found", async () => {
    const branch = await aBranch(office.admin, office.org.id);
    const queue = await aQueue(office.admin, office.org.id, { branch_id: branch.id, name: "Branch queue", prefix: "B" });
    await aTicket(await aCitizen(), queue.id);
    const reply = await eventually(() => get(`${STATS}?branch_id=${branch.id}`, as(office.agent)), (r) => r.status === 200 && r.body.totals.issued === 1);
    assert.deepEqual([reply.body.scope, reply.body.branch_id, reply.body.totals.called], ["branch", branch.id, 0]);
    const dashboard = await get(`${DASHBOARD}?branch_id=${branch.id}`, as(office.admin));
    assert.deepEqual(dashboard.body.last_7_days.by_queue.map((q: { queue_id: string }) => q.queue_id), [queue.id]);
    assertError(await get(`${STATS}?branch_id=${branch.id}`, as(other.admin)), 404, "not_found");
    assertError(await get(`${DASHBOARD}?branch_id=${branch.id}`, as(other.admin)), 404, "not_found");
  });

  it("answers /api/queues/analytics/ and /api/business/analytics/ with the dashboard's numbers", async () => {
    const dashboard = await eventually(() => get(DASHBOARD, as(office.admin)), (r) => r.status === 200 && r.body.today.cancelled === 1);
    const { day: _, ...figuresToday } = dashboard.body.today;
    const queues = await get("/api/queues/analytics/", as(office.admin));
    assert.equal(queues.status, 200, JSON.stringify(queues.body));
    const { organization_id, day, queues: queueCount, ...queuesToday } = queues.body;
    assert.deepEqual([organization_id, day], [office.org.id, today()]);
    assert.ok(queueCount >= 1);
    assert.deepEqual(queuesToday, figuresToday);
    const business = await get("/api/business/analytics/", as(office.admin));
    assert.equal(business.status, 200, JSON.stringify(business.body));
    assert.deepEqual(business.body.activity.today, dashboard.body.today);
    const { by_branch: _b, by_queue: _q, by_counter: _c, by_agent: _a, ...week } = dashboard.body.last_7_days;
    assert.deepEqual(business.body.activity.last_7_days, week);
    const foreign = await get("/api/queues/analytics/", as(other.admin));
    assert.deepEqual([foreign.body.organization_id, foreign.body.issued], [other.org.id, 0]);
    assertError(await get(`/api/queues/analytics/?organization_id=${office.org.id}`, as(other.admin)), 403, "forbidden");
    assertError(await get(`/api/business/analytics/?organization_id=${office.org.id}`, as(other.admin)), 403, "forbidden");
  });

  it("refuses citizens every endpoint", async () => {
    const citizen = await aCitizen();
    assertError(await get(DASHBOARD, as(citizen)), 403, "forbidden");
    assertError(await get(`${STATS}?queue_id=${office.queue.id}`, as(citizen)), 403, "forbidden");
    assertError(await get(`${EXPORT}?kind=tickets&date_from=${today()}&date_to=${today()}`, as(citizen)), 403, "forbidden");
  });

  it("answers another organisation's queue and dashboard as not found", async () => {
    assertError(await get(`${STATS}?queue_id=${office.queue.id}`, as(other.admin)), 404, "not_found");
    assertError(await get(`${DASHBOARD}?organization_id=${office.org.id}`, as(other.admin)), 404, "not_found");
    const own = await get(DASHBOARD, as(other.admin));
    assert.equal(own.status, 200);
    assert.deepEqual([own.body.organization_id, own.body.today.issued], [other.org.id, 0]);
  });

  it("refuses bad input naming the field", async () => {
    const by = as(office.admin);
    assertError(await get(DASHBOARD), 401, "not_authenticated");
    assertInvalidField(await get(`${STATS}?counter_id=c1`, by), "query.queue_id");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&agent_id=someone`, by), "query.agent_id");
    assertInvalidField(await get(`${DASHBOARD}?branch_id=${"b".repeat(65)}`, by), "query.branch_id");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&date_from=yesterday`, by), "query.date_from");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&granularity=minute`, by), "query.granularity");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&date_from=2026-12-02&date_to=2026-12-01`, by), "query.date_to");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&granularity=hour&date_from=2026-11-01&date_to=2026-11-30`, by), "query.date_to");
    assertInvalidField(await get(`${STATS}?queue_id=${office.queue.id}&colour=red`, by), "query");
    assertInvalidField(await get(`${EXPORT}?kind=payments&date_from=${today()}&date_to=${today()}`, by), "query.kind");
    assertInvalidField(await get(`${EXPORT}?kind=tickets&date_from=2026-01-01&date_to=2026-12-01`, by), "query.date_to");
    assertError(await get(`${STATS}?queue_id=nope`, by), 404, "not_found");
  });

  it("exports the organisation's tickets of a period as CSV, and only its own", async () => {
    const path = `${EXPORT}?kind=tickets&date_from=${today()}&date_to=${today()}`;
    // The office's queue's rows (another test of this file adds a queue to the organisation).
    const ofOfficeQueue = (body: unknown) => String(body).trim().split("\n").slice(1).filter((r) => r.split(",")[5] === office.queue.id);
    // Each ticket once, as it ended (its end put over the row its arrival wrote).
    const statuses = (body: unknown) => ofOfficeQueue(body).map((r) => r.split(",")[6]).sort();
    const ended = ["cancelled", "completed", "no_show"];
    const reply = await eventually(() => get(path, as(office.admin)), (r) => r.status === 200 && statuses(r.body).join() === ended.join());
    assert.match(reply.headers.get("content-type") ?? "", /text\/csv/);
    const [header, ...rows] = String(reply.body).trim().split("\n");
    assert.ok(header!.startsWith("ticket_id,day,number,organization_id"));
    assert.deepEqual(ofOfficeQueue(reply.body).map((r) => r.split(",")[0]).sort(), [...office.tickets].sort());
    for (const row of rows) assert.equal(row.split(",")[3], office.org.id);
    const outsider = await get(path, as(other.admin));
    assert.equal(outsider.status, 200);
    assert.equal(String(outsider.body).trim().split("\n").length, 1, "another organisation's export holds only the header");
    assertError(await get(`${path}&organization_id=${office.org.id}`, as(other.admin)), 404, "not_found");
  });
});
