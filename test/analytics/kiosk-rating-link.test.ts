// A kiosk ticket's citizen has no account, only the number they gave at the kiosk: once
// the ticket is served, that number is texted a link that rates it without logging in,
// when RATING_LINK_CHANNELS lists sms (an SMS costs the office, so it is off by default:
// test/queues/trackers.test.ts). The link names no citizen, so it rates nothing else.
import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, aPhone, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { onANodeOfItsOwn } from "../support/own-node.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";

const RATE = "/api/analytics/ratings/link/";
const tokenOf = (link: string) => link.slice(link.indexOf("#") + 1);

describe("the rating link of a served kiosk ticket, by SMS", function () {
  this.timeout(60_000);
  const node = onANodeOfItsOwn("kiosk_rating", { RATING_LINK_CHANNELS: "in_app,sms" });

  async function served(ticketId: string, queueId: string, counterId: string, agent: Session) {
    assert.equal((await post(`/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, { token: agent.access })).status, 200);
    for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${ticketId}/${step}/`, undefined, { token: agent.access })).status, 200);
  }

  it("texts the number a link that rates the ticket once, and no other ticket", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue();
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const phone = aPhone();
    assert.equal((await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: phone }, { token: admin.access })).body.sms.status, "sent");
    await served(ticket.id, queue.id, counters[0]!, agent);

    const texts = await eventually(
      async () => (await get("/api/notifications/deliveries/?event=ticket.served&page_size=100", { token: admin.access })).body.results.filter((d: { recipient: string }) => d.recipient === phone),
      (found) => found.length > 0,
    );
    assert.equal(texts.length, 1);
    const link = /(http:\/\/\S+\/rate\/#\S+)$/.exec(texts[0].text)?.[1];
    assert.ok(link, texts[0].text);
    assert.match(texts[0].text, /^Ticket A-001 : comment s'est passé votre passage \? Donnez une note sur /);
    const token = tokenOf(link);

    const rated = await post(RATE, { ticket_id: ticket.id, token, rating: 4, comment: "Rapide" });
    assert.equal(rated.status, 201, JSON.stringify(rated.body));
    assert.deepEqual([rated.body.ticket_id, rated.body.rating, rated.body.comment], [ticket.id, 4, "Rapide"]);
    assertError(await post(RATE, { ticket_id: ticket.id, token, rating: 1 }), 409, "conflict");

    // Another kiosk ticket of the queue: this link does not rate it.
    const another = await aTicket(admin, queue.id, { channel: "kiosk" });
    await served(another.id, queue.id, counters[0]!, agent);
    assertError(await post(RATE, { ticket_id: another.id, token, rating: 5 }), 401, "token_invalid");
  });

  it("makes a kiosk link rate no citizen's ticket, and takes only a ticket id", async () => {
    const { agent, queue, counters } = await aRunningQueue();
    const citizen = await aCitizen();
    const ticket = await aTicket(citizen, queue.id);
    await served(ticket.id, queue.id, counters[0]!, agent);
    const { link } = await node().node.broker.call<{ link: string }, object>("analytics.kioskRatingLink", { ticket_id: ticket.id });
    assertError(await post(RATE, { ticket_id: ticket.id, token: tokenOf(link), rating: 5 }), 404, "not_found");
    await assert.rejects(node().node.broker.call("analytics.kioskRatingLink", {}), (err: any) => {
      assert.equal(err.code, 400);
      return true;
    });
    assert.equal((await get("/api/analytics/kioskRatingLink/", { token: citizen.access })).status, 404);
  });
});
