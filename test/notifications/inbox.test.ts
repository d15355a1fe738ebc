// A user's in-app notifications: their own only, paginated, read and unread, marked read;
// read by a range of _ids under the user's prefix, whatever else the collection holds.
import assert from "node:assert/strict";
import { onceId } from "../../services/notifications/delivery.ts";
import { adoptLegacyInbox, inboxId } from "../../services/notifications/inbox.ts";
import { ensureNotificationsIndexes, notificationsStore, type NotificationDoc } from "../../services/notifications/store.ts";
import { ofOwner } from "../../mixins/db/owner-prefix.ts";
import { system } from "../support/system.ts";
import { assertError, assertInvalidField, assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aKey, NOTIFICATIONS, remind } from "./notification-fixtures.ts";

const store = () => notificationsStore(system().node.db);
/** A notification as the notifications service keeps it, written straight into the collection. */
const aNotification = (userId: string, _id: string, read = false): NotificationDoc => ({
  _id, user_id: userId, event: "turn_near", title: "Votre tour approche", body: `pour ${userId}`, data: {}, read_at: read ? new Date() : null, created_at: new Date(),
});

describe("/api/notifications/notifications/", () => {
  it("lists a user's own notifications, newest first, paginated, with the reminder's wording", async () => {
    const citizen = await aCitizen();
    const other = await aCitizen();
    for (let i = 0; i < 3; i++) await remind(citizen.user.id);
    await remind(other.user.id);
    const as = { token: citizen.access };
    assertPage(await get(NOTIFICATIONS, as), 3, 3);
    const page = await get(`${NOTIFICATIONS}?page_size=2&page=2`, as);
    assertPage(page, 3, 1);
    assert.ok(page.body.previous.includes("page=1"));
    const [first] = (await get(NOTIFICATIONS, as)).body.results;
    assert.equal(first.user_id, citizen.user.id);
    assert.deepEqual([first.event, first.title, first.is_read, first.read_at], ["appointment.reminder", "Rappel de rendez-vous", false, null]);
    assert.equal(first.body, "Rappel : rendez-vous Dépôt à Agence Plateau le 2030-01-07 à 09:30 (dans 60 min).");
  });

  it("filters read and unread, marks one read and then all", async () => {
    const citizen = await aCitizen();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await remind(citizen.user.id)).notification_id);
    const as = { token: citizen.access };
    const read = await post(`${NOTIFICATIONS}${ids[0]}/read/`, {}, as);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.is_read, true);
    assert.equal((await post(`${NOTIFICATIONS}${ids[0]}/read/`, undefined, as)).body.read_at, read.body.read_at, "reading twice keeps the first time");
    assertPage(await get(`${NOTIFICATIONS}?is_read=true`, as), 1, 1);
    assertPage(await get(`${NOTIFICATIONS}?is_read=false`, as), 2, 2);
    const all = await post(`${NOTIFICATIONS}read-all/`, {}, as);
    assert.deepEqual([all.status, all.body.marked_read], [200, 2]);
    assertPage(await get(`${NOTIFICATIONS}?is_read=false`, as), 0, 0);
    assert.equal((await get(`${NOTIFICATIONS}${ids[1]}/`, as)).body.is_read, true);
  });

  it("answers another user's notification as missing (404), and marks nothing", async () => {
    const citizen = await aCitizen();
    const { notification_id } = await remind(citizen.user.id);
    const { admin } = await anAdministeredOrganization();
    for (const intruder of [await aCitizen(), admin]) {
      const as = { token: intruder.access };
      assertError(await get(`${NOTIFICATIONS}${notification_id}/`, as), 404, "not_found");
      assertError(await post(`${NOTIFICATIONS}${notification_id}/read/`, {}, as), 404, "not_found");
      assert.equal((await post(`${NOTIFICATIONS}read-all/`, {}, as)).body.marked_read, 0);
      assertPage(await get(NOTIFICATIONS, as), 0, 0);
    }
    assert.equal((await get(`${NOTIFICATIONS}${notification_id}/`, { token: citizen.access })).body.is_read, false);
  });

  it("lists and marks read the user's notifications alone, beside users whose ids start with theirs", async () => {
    const citizen = await aCitizen();
    const own = (await remind(citizen.user.id)).notification_id;
    // Users whose ids start with this one's, one whose id sorts just after, read and unread.
    const others = [`${citizen.user.id}0`, `${citizen.user.id}:x`, `${citizen.user.id};`];
    await store().notifications.collection.insertMany(others.flatMap((id) => [aNotification(id, inboxId(id, aKey())), aNotification(id, inboxId(id, aKey()), true)]) as never[]);
    const as = { token: citizen.access };
    assert.deepEqual((await get(NOTIFICATIONS, as)).body.results.map((n: any) => n.id), [own]);
    assert.equal((await post(`${NOTIFICATIONS}read-all/`, {}, as)).body.marked_read, 1);
    const stillUnread = await store().notifications.countDocuments({ user_id: { $in: others }, read_at: null });
    assert.equal(stillUnread, others.length, "nobody else's marked read");
    // Read from the _id index, however many notifications the office has sent.
    await assertReadFromIdIndex(store().notifications.collection, ofOwner(citizen.user.id));
  });

  it("moves notifications from before the inbox was kept by user under their user, where a repeat finds them", async () => {
    const citizen = await aCitizen();
    const key = aKey("legacy");
    // As an earlier version wrote it: its _id the once id alone.
    await store().notifications.collection.insertOne(aNotification(citizen.user.id, onceId("in_app", citizen.user.id, key)) as never);
    const as = { token: citizen.access };
    assertPage(await get(NOTIFICATIONS, as), 0, 0);
    assert.ok((await adoptLegacyInbox(store().notifications)) >= 1);
    assert.equal(await adoptLegacyInbox(store().notifications), 0, "a second run finds nothing left to move");
    const [moved] = (await get(NOTIFICATIONS, as)).body.results;
    assert.equal(moved.id, inboxId(citizen.user.id, key));
    // The same request again: the notification it made, not a second one.
    assert.equal((await remind(citizen.user.id, key)).notification_id, moved.id);
    assertPage(await get(NOTIFICATIONS, as), 1, 1);
  });

  it("moves every legacy notification, batch after batch, while it reads and deletes them", async () => {
    const citizen = await aCitizen();
    const legacy = Array.from({ length: 1_200 }, (_, n) => aNotification(citizen.user.id, onceId("in_app", citizen.user.id, `legacy-${n}`)));
    await store().notifications.collection.insertMany(legacy as never[]);
    const batches: number[] = [];
    assert.ok((await adoptLegacyInbox(store().notifications, (moved) => batches.push(moved))) >= legacy.length);
    assert.ok(batches.length >= 3, `moved in batches of 500: ${batches.join(", ")}`);
    assertPage(await get(`${NOTIFICATIONS}?page_size=100`, { token: citizen.access }), legacy.length, 100);
    assert.equal(await store().notifications.countDocuments({ _id: { $in: legacy.map((doc) => doc._id) } }), 0, "no original left behind");
  });

  it("keeps no index on user_id, and drops the one a database from before has", async () => {
    await store().notifications.collection.createIndex({ user_id: 1 });
    await ensureNotificationsIndexes(store());
    await ensureNotificationsIndexes(store()); // once dropped, starting again finds nothing to drop
    assert.deepEqual((await store().notifications.collection.indexes()).map((index) => index.key), [{ _id: 1 }]);
  });

  it("refuses anonymous callers and bad input", async () => {
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    assertError(await get(NOTIFICATIONS), 401, "not_authenticated");
    assertInvalidField(await get(`${NOTIFICATIONS}?is_read=maybe`, as), "query.is_read");
    assertInvalidField(await get(`${NOTIFICATIONS}?page_size=500`, as), "query.page_size");
    assertInvalidField(await get(`${NOTIFICATIONS}?ordering=title`, as), "query.ordering");
    assertInvalidField(await post(`${NOTIFICATIONS}read-all/`, { all: true }, as), "body");
    await assertRefusesBadBodies("POST", `${NOTIFICATIONS}read-all/`, citizen.access);
    assertError(await get(`${NOTIFICATIONS}does-not-exist/`, as), 404, "not_found");
  });
});
