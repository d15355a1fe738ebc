import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPhone } from "../support/fixtures.ts";
import { call, del, get, post } from "../support/http.ts";
import { eventually } from "../support/eventually.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";

const trackerOf = async (token: string, ticketId: string) => post(`/api/queues/tickets/${ticketId}/tracker/`, undefined, { token });
const tracked = (code: string) => get(`/api/queues/trackers/${code}/`);

describe("ticket trackers (/t/{code})", () => {
  it("gives staff a kiosk ticket's code, the same each time, which anyone holding it reads without an account, seeing nothing personal", async () => {
    const { admin, queue } = await aRunningQueue();
    await aTicket(admin, queue.id, { channel: "kiosk" });
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const made = await trackerOf(admin.access, ticket.id);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.match(made.body.code, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(made.body.path, `/t/${made.body.code}`);
    assert.ok(!ticket.id.includes(made.body.code) && !made.body.code.includes(ticket.id.slice(-8)));
    assert.equal((await trackerOf(admin.access, ticket.id)).body.code, made.body.code);
    const seen = await tracked(made.body.code);
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.deepEqual(seen.body, { number: "A-002", queue_name: "Caisse", status: "waiting", position: 2, estimated_wait_seconds: seen.body.estimated_wait_seconds, counter_name: null, called_at: null });
    assert.ok(seen.body.estimated_wait_seconds > 0);
    for (const secret of [ticket.id, queue.id, queue.organization_id, admin.user.id]) assert.ok(!JSON.stringify(seen.body).includes(secret));
  });

  it("moves as tickets are called, and names the counter when it is called", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue();
    await aTicket(admin, queue.id);
    const ticket = await aTicket(admin, queue.id);
    const { code } = (await trackerOf(admin.access, ticket.id)).body;
    assert.equal((await tracked(code)).body.position, 2);
    const callNext = () => post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, { token: agent.access });
    assert.equal((await callNext()).status, 200);
    assert.equal((await tracked(code)).body.position, 1);
    const called = (await tracked(code)).body;
    assert.equal(called.status, "waiting", "the counter still has the first ticket");
    const first = (await get(`/api/queues/queues/${queue.id}/status/`, { token: agent.access })).body.now_serving[0];
    for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${first.ticket_id}/${step}/`, undefined, { token: agent.access })).status, 200);
    assert.equal((await callNext()).status, 200);
    const now = (await tracked(code)).body;
    assert.deepEqual([now.status, now.position, now.counter_name], ["called", null, "Guichet 1"]);
    assert.equal(typeof now.called_at, "string");
  });

  it("lets whoever holds the code leave the queue, but not with a ticket already served", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue();
    const leaving = await aTicket(admin, queue.id);
    const served = await aTicket(admin, queue.id);
    const code = (await trackerOf(admin.access, leaving.id)).body.code;
    assert.equal((await del(`/api/queues/trackers/${code}/`)).status, 204);
    assert.equal((await tracked(code)).body.status, "cancelled");
    assert.equal((await get(`/api/queues/queues/${queue.id}/status/`, { token: agent.access })).body.waiting_count, 1);
    const servedCode = (await trackerOf(admin.access, served.id)).body.code;
    assert.equal((await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, { token: agent.access })).status, 200);
    for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${served.id}/${step}/`, undefined, { token: agent.access })).status, 200);
    assertError(await del(`/api/queues/trackers/${servedCode}/`), 409, "invalid_transition");
    assert.equal((await tracked(servedCode)).body.status, "completed");
  });

  it("gives a citizen their own ticket's code, and nobody else's: other citizens, another organisation's staff, anonymous callers", async () => {
    const { admin, queue } = await aRunningQueue();
    const owner = await aCitizen();
    const ticket = await aTicket(owner, queue.id);
    assert.equal((await trackerOf(owner.access, ticket.id)).status, 200);
    const foreign = await anAdministeredOrganization();
    for (const outsider of [await aCitizen(), foreign.admin, await anAgent(foreign.org.id)]) {
      assertError(await trackerOf(outsider.access, ticket.id), 404, "not_found");
    }
    assertError(await post(`/api/queues/tickets/${ticket.id}/tracker/`), 401, "not_authenticated");
    assert.equal((await trackerOf(admin.access, ticket.id)).status, 200);
  });

  it("texts the link, once, to a number the kiosk was given, then the ticket's call, and forgets the number once the ticket ends", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue();
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const phone = aPhone();
    const asked = await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: `${phone.slice(4, 6)} ${phone.slice(6, 9)} ${phone.slice(9, 11)} ${phone.slice(11)}` }, { token: admin.access });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    assert.deepEqual([asked.body.sms.to, asked.body.sms.status], [phone, "sent"]);
    assert.equal((await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: phone }, { token: admin.access })).body.sms.status, "sent");
    const texts = (await get(`/api/notifications/deliveries/?event=ticket.tracker&page_size=100`, { token: admin.access })).body.results.filter((d: { recipient: string }) => d.recipient === phone);
    assert.equal(texts.length, 1, "one SMS however often the link is asked for");
    assert.match(texts[0].text, new RegExp(`^Ticket A-001 : suivez votre place dans la file sur http://127\\.0\\.0\\.1:\\d+/t/${asked.body.code}$`));

    assert.equal((await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, { token: agent.access })).status, 200);
    const called = await eventually(
      () => get(`/api/notifications/deliveries/?event=ticket.called&page_size=100`, { token: admin.access }),
      (r) => r.body.results.some((d: { recipient: string }) => d.recipient === phone),
    );
    assert.equal(called.body.results.find((d: { recipient: string }) => d.recipient === phone).text, "Ticket A-001 : présentez-vous au Guichet 1.");
    const kept = () => system().node.db.collection("notification_sms_follow_ups").findOne({ _id: ticket.id as never });
    assert.equal((await kept())?.phone, phone);
    for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${ticket.id}/${step}/`, undefined, { token: agent.access })).status, 200);
    await eventually(kept, (doc) => doc === null);
    // Forgotten after any text its end asks for: the rating link goes by SMS only when
    // RATING_LINK_CHANNELS lists sms (test/analytics/kiosk-rating-link.test.ts), not by default.
    const served = (await get(`/api/notifications/deliveries/?event=ticket.served&page_size=100`, { token: admin.access })).body.results;
    assert.deepEqual(served.filter((d: { recipient: string }) => d.recipient === phone), []);
  });

  it("texts a kiosk ticket's number once when its turn comes near", async () => {
    const { admin, agent, queue, counters } = await aRunningQueue(2);
    for (let i = 0; i < 4; i++) await aTicket(admin, queue.id);
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const phone = aPhone();
    const tracker = (await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: phone }, { token: admin.access })).body;
    assert.equal(tracker.sms.status, "sent");
    for (const counter of counters) assert.equal((await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counter }, { token: agent.access })).status, 200);
    const nearTexts = async () => (await get(`/api/notifications/deliveries/?event=turn_near&page_size=100`, { token: admin.access })).body.results.filter((d: { recipient: string }) => d.recipient === phone);
    const [near] = await eventually(nearTexts, (texts) => texts.length > 0);
    assert.match(near.text, /^Ticket A-005 : vous êtes 3e dans la file, environ \d+ min d'attente\.$/);
    const first = (await get(`/api/queues/queues/${queue.id}/status/`, { token: agent.access })).body.now_serving[0];
    for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${first.ticket_id}/${step}/`, undefined, { token: agent.access })).status, 200);
    assert.equal((await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: first.counter_id }, { token: agent.access })).status, 200);
    assert.equal((await get(`/api/queues/trackers/${tracker.code}/`)).body.position, 2);
    assert.equal((await nearTexts()).length, 1, "an SMS costs the office money: once per ticket");
  });

  it("lets only staff text a number, and only a phone number", async () => {
    const { admin, queue } = await aRunningQueue();
    const ticket = await aTicket(admin, queue.id, { channel: "kiosk" });
    const owner = await aCitizen();
    const own = await aTicket(owner, queue.id);
    assertError(await post(`/api/queues/tickets/${own.id}/tracker/`, { sms_to: aPhone() }, { token: owner.access }), 403, "forbidden");
    assertInvalidField(await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: "12" }, { token: admin.access }), "body.sms_to");
    assertInvalidField(await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: "not a phone" }, { token: admin.access }), "body.sms_to");
    assertInvalidField(await post(`/api/queues/tickets/${ticket.id}/tracker/`, { sms_to: 771234567 }, { token: admin.access }), "body.sms_to");
  });

  it("refuses malformed codes and bodies, and answers an unknown code or ticket 404", async () => {
    const { admin, queue } = await aRunningQueue();
    const ticket = await aTicket(admin, queue.id);
    assertInvalidField(await tracked("short"), "params.code");
    assertInvalidField(await tracked("x".repeat(21) + "!"), "params.code");
    assertInvalidField(await del("/api/queues/trackers/" + "y".repeat(23) + "/"), "params.code");
    assertError(await tracked("A".repeat(22)), 404, "not_found");
    assertError(await del(`/api/queues/trackers/${"B".repeat(22)}/`), 404, "not_found");
    assertInvalidField(await post(`/api/queues/tickets/${ticket.id}/tracker/`, { ticket_id: ticket.id }, { token: admin.access }), "body");
    assertError(await trackerOf(admin.access, `${queue.id}-0123456789abcdef01234567`), 404, "not_found");
    assertError(await call("POST", `/api/queues/tickets/${ticket.id}/tracker/`, undefined, { token: admin.access, raw: "{", headers: { "content-type": "application/json" } }), 400, "malformed_json");
  });
});
