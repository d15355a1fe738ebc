import assert from "node:assert/strict";
import { aCitizen } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { aTicket } from "../support/queues.ts";
import { aBranchQueue, callNext } from "./live-fixtures.ts";
import { remind } from "../notifications/notification-fixtures.ts";
import { assertRefused, closeClients, connectConfirmed, notificationsPath } from "../support/live-client.ts";

describe("/ws/notifications/user/{id}", () => {
  afterEach(closeClients);

  it("tells a citizen their ticket is called, and called again, with the counter", async () => {
    const { queue, counter, agent } = await aBranchQueue();
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    const mine = await aTicket(citizen, queue.id);
    await callNext(agent, queue.id, counter);
    const called = await phone.next("ticket.called");
    assert.deepEqual([called.ticket.id, called.ticket.status, called.counter_name], [mine.id, "called", "Guichet 1"]);
    const recalled = await post(`/api/queues/tickets/${mine.id}/recall/`, {}, { token: agent.access });
    assert.equal(recalled.status, 200, JSON.stringify(recalled.body));
    assert.equal((await phone.next("ticket.recalled")).ticket.recalls, 1);
  });

  it("tells a citizen their turn is near, again each time their place changes", async () => {
    const { queue, counter, agent } = await aBranchQueue();
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { bearer: citizen.access });
    await aTicket(await aCitizen(), queue.id);
    const mine = await aTicket(citizen, queue.id);
    const second = await phone.next("turn_near");
    assert.deepEqual([second.ticket_id, second.number, second.queue_id, second.position], [mine.id, mine.number, queue.id, 2]);
    assert.ok(second.estimated_wait_ms > 0);
    await callNext(agent, queue.id, counter);
    assert.equal((await phone.next("turn_near", phone.messages.indexOf(second) + 1)).position, 1);
    assert.equal(phone.messages.filter((m) => m.type === "turn_near").length, 2);
  });

  it("shows a citizen nothing of other people's tickets", async () => {
    const { queue, counter, agent } = await aBranchQueue();
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    const before = await aTicket(await aCitizen(), queue.id);
    await aTicket(citizen, queue.id);
    assert.equal((await callNext(agent, queue.id, counter)).id, before.id);
    // The other ticket's call and this citizen's new place travel in the same change.
    await phone.until((messages) => messages.some((m) => m.type === "turn_near" && m.position === 1), "turn_near at 1");
    // (The SMS their turn sent them is shown too, as a delivery of theirs.)
    assert.deepEqual(phone.messages.filter((m) => m.type !== "delivery").map((m) => m.type), ["turn_near", "turn_near"]);
  });

  it("shows a citizen every message sent to them: the inbox's, and each SMS as it is sent", async () => {
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    const result = await remind(citizen.user.id);
    const inbox = await phone.next("notification");
    assert.equal(inbox.notification.id, result.notification_id);
    const sms = await phone.next("delivery");
    assert.deepEqual([sms.delivery.channel, sms.delivery.recipient, sms.delivery.status, sms.delivery.event], ["sms", citizen.user.phone, "sent", "appointment.reminder"]);
    assert.match(sms.delivery.text, /Dépôt/);
  });

  it("refuses another user (403), a screen (403) and anonymous or invalid tokens (401)", async () => {
    const { admin, display } = await aBranchQueue();
    const citizen = await aCitizen();
    const path = notificationsPath(citizen.user.id);
    await assertRefused(path, { token: (await aCitizen()).access }, 403, "forbidden");
    await assertRefused(path, { token: admin.access }, 403, "forbidden");
    await assertRefused(path, { token: display.token }, 403, "forbidden");
    await assertRefused(path, {}, 401, "not_authenticated");
    await assertRefused(path, { bearer: "garbage" }, 401, "token_invalid");
  });

  it("answers a resync request with an error, as there is no state to resync", async () => {
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    phone.send({ type: "resync" });
    assert.equal((await phone.next("error")).error.code, "validation_failed");
    assert.equal(phone.closeCode, null);
  });
});
