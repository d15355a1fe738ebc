// A user's in-app notifications: their own only, paginated, read and unread, marked read.
import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { NOTIFICATIONS, remind } from "./notification-fixtures.ts";

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
