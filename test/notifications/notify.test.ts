// `notifications.notify`, the contract other services and scheduled jobs call: the in-app
// notification, live, and the user's channels, once per idempotency key.
import assert from "node:assert/strict";
import { aCitizen, aPlatformAdmin } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { closeClients, connectConfirmed, notificationsPath } from "../support/live-client.ts";
import { system } from "../support/system.ts";
import { aKey, DELIVERIES, deliveriesTo, notify, remind, REMINDER_DATA } from "./notification-fixtures.ts";

const validationOf = (err: any) => ({ type: err.type, paths: err.data?.fields?.map((f: any) => f.path) });

describe("notifications.notify", () => {
  afterEach(closeClients);

  it("records the notification in the user's locale, sends their SMS and says what it did", async () => {
    const citizen = await aCitizen({ locale: "en", email: `${aKey("en")}@example.sn` });
    const key = aKey("reminder");
    const result = await remind(citizen.user.id, key);
    assert.equal(result.idempotency_key, key);
    // Under the user's prefix (services/notifications/inbox.ts), then the key's once id.
    assert.equal(result.notification_id.slice(0, -24), `${citizen.user.id.length}:${citizen.user.id}:`);
    assert.match(result.notification_id.slice(-24), /^[a-f\d]{24}$/);
    // The test node has the `log` SMS provider and no SMTP or FCM: SMS only.
    assert.deepEqual(result.deliveries.map((d: any) => [d.channel, d.recipient, d.status, d.attempts, d.provider]), [["sms", citizen.user.phone, "sent", 1, "log"]]);
    const [sms] = await deliveriesTo(citizen.user.id);
    assert.equal(sms.message.text, "Reminder: Dépôt appointment at Agence Plateau on 2030-01-07 at 09:30 (in 60 min).");
    assert.deepEqual([sms.event, sms.idempotency_key, sms.provider_message_id?.startsWith("log-")], ["appointment.reminder", key, true]);
  });

  it("logs the in-app message in the delivery log beside the SMS, each once", async () => {
    const citizen = await aCitizen();
    const key = aKey("logged");
    const result = await remind(citizen.user.id, key);
    await remind(citizen.user.id, key);
    const logged = await deliveriesTo(citizen.user.id, undefined, { inbox: true });
    assert.deepEqual(logged.map((d) => [d.channel, d.recipient, d.status, d.provider]).sort(), [
      ["in_app", citizen.user.id, "sent", "inbox"],
      ["sms", citizen.user.phone, "sent", "log"],
    ]);
    const admin = await aPlatformAdmin();
    const page = await get(`${DELIVERIES}?user_id=${citizen.user.id}&channel=in_app`, { token: admin.access });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual(page.body.results.map((d: any) => [d.id, d.event, d.text]), [[result.notification_id, "appointment.reminder", logged.find((d) => d.channel === "in_app")!.message.text]]);
  });

  it("sends nothing new when called again with the same key, and answers the same", async () => {
    const citizen = await aCitizen();
    const key = aKey("twice");
    const first = await remind(citizen.user.id, key);
    const again = await Promise.all([remind(citizen.user.id, key), remind(citizen.user.id, key)]);
    for (const answer of again) assert.deepEqual(answer, first);
    assert.equal((await deliveriesTo(citizen.user.id)).length, 1);
    const inbox = await system().node.db.collection("notifications").countDocuments({ user_id: citizen.user.id });
    assert.equal(inbox, 1);
  });

  it("publishes the new notification on the user's live channel", async () => {
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    const { notification_id } = await remind(citizen.user.id);
    const message = await phone.next("notification");
    assert.deepEqual([message.notification.id, message.notification.event, message.notification.is_read], [notification_id, "appointment.reminder", false]);
  });

  it("refuses an unknown event and values that do not fit the template, sending nothing", async () => {
    const citizen = await aCitizen();
    const user_id = citizen.user.id;
    await assert.rejects(notify({ user_id, event: "no.such_event", data: {}, idempotency_key: aKey() }), (err) => {
      assert.deepEqual(validationOf(err), { type: "validation_failed", paths: ["event"] });
      return true;
    });
    const { minutes_before: _, ...missing } = REMINDER_DATA;
    await assert.rejects(notify({ user_id, event: "appointment.reminder", data: missing, idempotency_key: aKey() }), (err: any) => err.type === "validation_failed" && /minutes_before is missing/.test(JSON.stringify(err.data)));
    await assert.rejects(notify({ user_id, event: "appointment.reminder", data: { ...REMINDER_DATA, minutes_before: "60" }, idempotency_key: aKey() }), (err: any) => /minutes_before must be a number/.test(JSON.stringify(err.data)));
    await assert.rejects(notify({ user_id, event: "appointment.reminder", data: REMINDER_DATA }), (err: any) => validationOf(err).paths.includes("idempotency_key"));
    assert.equal((await deliveriesTo(user_id)).length, 0);
  });

  it("skips a user who does not exist, without failing", async () => {
    const result = await notify({ user_id: "0123456789abcdef01234567", event: "appointment.reminder", data: REMINDER_DATA, idempotency_key: aKey() });
    assert.deepEqual([result.skipped, result.notification_id, result.deliveries], ["user_not_found", null, []]);
  });

  it("stops sending SMS to a recipient past the rate limit, and logs why", async () => {
    const citizen = await aCitizen();
    const limit = system().config.notifications.rateLimit;
    const answers = [];
    for (let i = 0; i <= limit; i++) answers.push(await remind(citizen.user.id));
    assert.deepEqual(answers.map((a) => a.deliveries[0].status), [...Array(limit).fill("sent"), "failed"]);
    const last = (await deliveriesTo(citizen.user.id)).at(-1)!;
    assert.deepEqual([last.error_code, last.attempts], ["rate_limited", 0]);
    assert.match(last.last_error!, new RegExp(`already had ${limit} sms messages`));
    // In-app notifications are not limited.
    assert.ok(answers.at(-1).notification_id);
  });
});
