// Rating through the link in the "served" message: the citizen rates once without logging
// in; a forged, expired or wrongly typed token, or another ticket's, rates nothing.
import assert from "node:assert/strict";
import { signToken } from "../../mixins/api/signed-tokens.ts";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import type { Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aRunningQueue, type QueueSetup } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { aServedTicket, tokenOf, type ServedTicket } from "./served-ticket.ts";

const BY_LINK = "/api/analytics/ratings/link/";
const as = (who: Session) => ({ token: who.access });

describe("/api/analytics/ratings/link/", function () {
  let setup: QueueSetup;
  let mine: ServedTicket;
  let elsewhere: ServedTicket;

  before(async function () {
    this.timeout(60_000);
    setup = await aRunningQueue(1);
    mine = await aServedTicket(setup);
    elsewhere = await aServedTicket(await aRunningQueue(1));
  });

  it("sends the served citizen a link to the rating page, its token after '#'", () => {
    const { url } = system().config.analytics.ratingLink;
    assert.ok(mine.link.startsWith(`${url}#`), mine.link);
    assert.notEqual(tokenOf(mine.link), tokenOf(elsewhere.link));
  });

  it("rates the ticket once without logging in, as POST /ratings/ would", async () => {
    const body = { ticket_id: mine.ticket.id, token: tokenOf(mine.link), rating: 5, comment: "Très bien" };
    const first = await post(BY_LINK, body);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual([first.body.ticket_id, first.body.queue_id, first.body.rating, first.body.comment], [mine.ticket.id, setup.queue.id, 5, "Très bien"]);
    assertError(await post(BY_LINK, { ...body, rating: 1 }), 409, "conflict");
    assertError(await post("/api/analytics/ratings/", { ticket_id: mine.ticket.id, rating: 1 }, as(mine.citizen)), 409, "conflict");
    const stats = await eventually(() => get(`/api/analytics/queue-stats/?queue_id=${setup.queue.id}`, as(setup.admin)), (r) => r.status === 200 && r.body.totals.ratings.count === 1);
    assert.deepEqual(stats.body.totals.ratings, { count: 1, mean: 5, by_score: { "5": 1 } });
  });

  it("refuses another ticket's token, of this organisation's or another's, with 401", async () => {
    const other = await aServedTicket(setup);
    assertError(await post(BY_LINK, { ticket_id: other.ticket.id, token: tokenOf(elsewhere.link), rating: 2 }), 401, "token_invalid");
    assertError(await post(BY_LINK, { ticket_id: elsewhere.ticket.id, token: tokenOf(other.link), rating: 2 }), 401, "token_invalid");
    assertError(await post(BY_LINK, { ticket_id: other.ticket.id, token: tokenOf(mine.link), rating: 2 }), 401, "token_invalid");
    // Its own token still rates it.
    assert.equal((await post(BY_LINK, { ticket_id: other.ticket.id, token: tokenOf(other.link), rating: 2 })).status, 201);
  });

  it("refuses a forged, an expired or a wrongly typed token with 401, rating nothing", async () => {
    const { jwt } = system().config;
    const token = tokenOf(elsewhere.link);
    const [head, claims] = token.split(".");
    const ticket_id = elsewhere.ticket.id;
    const refused = async (forged: string, code: string) => assertError(await post(BY_LINK, { ticket_id, token: forged, rating: 3 }), 401, code);
    await refused(`${head}.${claims}.${"A".repeat(43)}`, "token_invalid");
    await refused(signToken({ token_type: "rating", sub: ticket_id, uid: elsewhere.citizen.user.id }, "not-our-secret", 3600, jwt.issuer).token, "token_invalid");
    await refused(signToken({ token_type: "rating", sub: ticket_id, uid: elsewhere.citizen.user.id }, jwt.accessSecret, -60, jwt.issuer).token, "token_expired");
    await refused(elsewhere.citizen.access, "token_invalid");
    assert.equal((await post(BY_LINK, { ticket_id, token, rating: 4 })).status, 201, "the genuine link was never used up");
  });

  it("refuses bad input naming the field", async () => {
    const base = { ticket_id: mine.ticket.id, token: tokenOf(mine.link), rating: 3 };
    assertInvalidField(await post(BY_LINK, { ...base, token: undefined }), "body.token");
    assertInvalidField(await post(BY_LINK, { ...base, rating: 6 }), "body.rating");
    assertInvalidField(await post(BY_LINK, { ...base, ticket_id: undefined }), "body.ticket_id");
    assertInvalidField(await post(BY_LINK, { ...base, stars: 3 }), "body");
  });
});
