// Satisfaction ratings: once per served ticket, by its citizen, in the figures.
import assert from "node:assert/strict";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { servedBy } from "../../services/analytics/served.ts";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, anAdministeredOrganization, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { mongoUrl } from "../support/system.ts";

const RATINGS = "/api/analytics/ratings/";
const as = (who: Session) => ({ token: who.access });

describe("/api/analytics/ratings/", function () {
  let setup: Awaited<ReturnType<typeof aRunningQueue>>;
  let citizen: Session;
  let served: { id: string; day: string };
  let db: Connection;
  let waiting: { id: string };

  before(async function () {
    this.timeout(60_000);
    setup = await aRunningQueue(1);
    citizen = await aCitizen();
    served = await aTicket(citizen, setup.queue.id);
    waiting = await aTicket(citizen, setup.queue.id);
    const ticket = (id: string) => `/api/queues/tickets/${id}/`;
    for (const [path, body] of [[`${ticket(served.id)}call/`, { counter_id: setup.counters[0] }], [`${ticket(served.id)}start/`, {}], [`${ticket(served.id)}complete/`, {}]] as const) {
      const reply = await post(path, body, as(setup.agent));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    }
    // Who served it is recorded as analytics hears the completion: a rating waits for that.
    db = await connectMongo(mongoUrl());
    await eventually(() => servedBy(db, served.id, served.day), (agent) => agent === setup.agent.user.id);
  });
  after(() => db.close());

  it("takes one rating of a served ticket from its citizen, and refuses a second", async () => {
    const first = await post(RATINGS, { ticket_id: served.id, rating: 4, comment: "Rapide, merci" }, as(citizen));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual([first.body.ticket_id, first.body.rating, first.body.comment], [served.id, 4, "Rapide, merci"]);
    assertError(await post(RATINGS, { ticket_id: served.id, rating: 1 }, as(citizen)), 409, "conflict");
  });

  it("counts the rating in the queue's stats and the organisation's dashboard", async () => {
    const stats = await eventually(() => get(`/api/analytics/queue-stats/?queue_id=${setup.queue.id}`, as(setup.admin)), (r) => r.status === 200 && r.body.totals.ratings.count === 1);
    assert.deepEqual(stats.body.totals.ratings, { count: 1, mean: 4, by_score: { "4": 1 } });
    assert.equal(stats.body.results[0].ratings.count, 1);
    const dashboard = await get("/api/analytics/dashboard/", as(setup.admin));
    assert.deepEqual([dashboard.body.today.ratings.count, dashboard.body.last_7_days.ratings.mean], [1, 4]);
    const other = await anAdministeredOrganization();
    assert.equal((await get("/api/analytics/dashboard/", as(other.admin))).body.today.ratings.count, 0);
  });

  it("counts the rating for the counter and the agent who served the ticket", async () => {
    const counter = await eventually(
      () => get(`/api/analytics/queue-stats/?queue_id=${setup.queue.id}&counter_id=${setup.counters[0]}`, as(setup.admin)),
      (r) => r.status === 200 && r.body.totals.ratings.count === 1,
    );
    assert.deepEqual(counter.body.totals.ratings, { count: 1, mean: 4, by_score: { "4": 1 } });
    const agent = await get(`/api/analytics/queue-stats/?agent_id=${setup.agent.user.id}`, as(setup.admin));
    assert.deepEqual(agent.body.totals.ratings, { count: 1, mean: 4, by_score: { "4": 1 } });
    const elsewhere = await get(`/api/analytics/queue-stats/?agent_id=${setup.agent.user.id}`, as((await anAdministeredOrganization()).admin));
    assert.equal(elsewhere.body.totals.ratings.count, 0, "another organisation sees none of this agent's ratings");
  });

  it("refuses a ticket not served yet", async () => {
    assertError(await post(RATINGS, { ticket_id: waiting.id, rating: 5 }, as(citizen)), 409, "conflict");
  });

  it("answers someone else's ticket as not found, and staff as forbidden", async () => {
    assertError(await post(RATINGS, { ticket_id: served.id, rating: 5 }, as(await aCitizen())), 404, "not_found");
    assertError(await post(RATINGS, { ticket_id: served.id, rating: 5 }, as(setup.agent)), 403, "forbidden");
  });

  it("refuses bad input naming the field", async () => {
    assertInvalidField(await post(RATINGS, { ticket_id: served.id, rating: 6 }, as(citizen)), "body.rating");
    assertInvalidField(await post(RATINGS, { ticket_id: served.id, rating: 2.5 }, as(citizen)), "body.rating");
    assertInvalidField(await post(RATINGS, { rating: 3 }, as(citizen)), "body.ticket_id");
    assertInvalidField(await post(RATINGS, { ticket_id: served.id, rating: 3, comment: "x".repeat(1001) }, as(citizen)), "body.comment");
    assertInvalidField(await post(RATINGS, { ticket_id: served.id, rating: 3, stars: 3 }, as(citizen)), "body");
  });
});
