import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization, anAgent } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";
import { aBookableService, anAppointment, APPOINTMENTS, appointmentPath, slotAt, slotPath } from "./appointment-fixtures.ts";

const SLOTS = "/api/appointments/appointment-slots/";
const AVAILABLE = "/api/appointments/available-slots/";
const MINE = "/api/appointments/my-appointments/";
const NINE = "2030-01-07T09:00:00Z";
const TEN = "2030-01-07T10:00:00Z";

describe("/api/appointments/ endpoints", () => {
  it("lists a service's slots by date range, paginated, and shows one by id", async () => {
    const { service, branch } = await aBookableService();
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const week = `service_id=${service.id}&date_from=2030-01-07&date_to=2030-01-13`;
    assertPage(await get(`${SLOTS}?${week}`, as), 40, 20);
    assertPage(await get(`${SLOTS}?${week}&page=2&page_size=30`, as), 40, 10);
    assertPage(await get(`${SLOTS}?search=2030-01-08T09&${week}`, as), 1, 1);
    // Today and the slot window ahead unless told: none of this week's, which is in 2030
    // (the hourly generation may have made the days ahead's by then).
    const ahead = await get(`${SLOTS}?service_id=${service.id}`, as);
    assert.equal(ahead.status, 200, JSON.stringify(ahead.body));
    assert.deepEqual(ahead.body.results.filter((slot: { starts_at: string }) => slot.starts_at.startsWith("2030-")), []);
    assertInvalidField(await get(`${SLOTS}?${week.replace(`service_id=${service.id}&`, "")}`, as), "query.service_id");
    assertPage(await get(`${SLOTS}?branch_id=${branch.id}&date_from=2030-01-08&date_to=2030-01-08`, as), 8, 8);
    assertPage(await get(`${SLOTS}?service_id=${service.id}&date_from=2030-01-11T15:00:00Z&date_to=2030-01-13`, as), 2, 2);
    const one = await get(slotPath(slotAt(service, NINE)), as);
    assert.deepEqual([one.status, one.body.starts_at, one.body.remaining], [200, "2030-01-07T09:00:00.000Z", 1]);
    assertError(await get(slotPath(`${service.id}:2030-01-07T09:30:00.000Z`), as), 404, "not_found");
  });

  it("lists available slots of a day with the places left, full ones left out", async () => {
    const { service } = await aBookableService({ slot_capacity: 2 });
    const citizen = await aCitizen();
    await anAppointment(citizen, slotAt(service, NINE));
    await anAppointment(await aCitizen(), slotAt(service, TEN));
    await anAppointment(await aCitizen(), slotAt(service, TEN));
    const day = await get(`${AVAILABLE}?service_id=${service.id}&date=2030-01-07`, { token: citizen.access });
    assert.equal(day.status, 200, JSON.stringify(day.body));
    assert.deepEqual(day.body.map((s: any) => s.starts_at.slice(11, 16)), ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]);
    assert.deepEqual([day.body[0].remaining, day.body[1].remaining], [1, 2]);
    assert.deepEqual((await get(`${AVAILABLE}?service_id=${service.id}&date=2030-01-12`, { token: citizen.access })).body, []);
  });

  it("shows citizens their own appointments and staff their organisation's, paginated", async () => {
    const { org, service } = await aBookableService({ slot_capacity: 3 });
    const citizen = await aCitizen();
    await anAppointment(citizen, slotAt(service, NINE));
    await anAppointment(citizen, slotAt(service, TEN));
    await anAppointment(await aCitizen(), slotAt(service, NINE));
    assertPage(await get(MINE, { token: citizen.access }), 2, 2);
    assertPage(await get(`${MINE}?page_size=1&page=2`, { token: citizen.access }), 2, 1);
    assertPage(await get(`${MINE}?search=booked`, { token: citizen.access }), 2, 2);
    assertPage(await get(APPOINTMENTS, { token: citizen.access }), 2, 2);
    assertPage(await get(`${APPOINTMENTS}?date_from=2030-01-07T09:30:00Z`, { token: citizen.access }), 1, 1);
    const agent = await anAgent(org.id);
    const monday = `${APPOINTMENTS}?date_from=2030-01-07&date_to=2030-01-07`;
    assertPage(await get(monday, { token: agent.access }), 3, 3);
    assertPage(await get(`${monday}&user_id=${citizen.user.id}&status=booked`, { token: agent.access }), 2, 2);
    const foreign = await anAdministeredOrganization();
    assertPage(await get(monday, { token: foreign.admin.access }), 0, 0);
  });

  it("refuses another citizen or organisation's staff seeing, moving, cancelling or booking, changing nothing", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    const foreign = await anAdministeredOrganization();
    const foreignAgent = await anAgent(foreign.org.id);
    for (const stranger of [await aCitizen(), foreignAgent]) {
      const as = { token: stranger.access };
      assertError(await get(appointmentPath(mine.id), as), 404, "not_found");
      assertError(await put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN) }, as), 404, "not_found");
      assertError(await del(appointmentPath(mine.id), as), 404, "not_found");
    }
    assertError(await post(APPOINTMENTS, { slot_id: slotAt(service, TEN), user_id: citizen.user.id }, { token: foreignAgent.access }), 403, "forbidden");
    assertError(await post(APPOINTMENTS, { slot_id: slotAt(service, TEN), user_id: foreignAgent.user.id }, { token: citizen.access }), 403, "forbidden");
    const still = await get(appointmentPath(mine.id), { token: citizen.access });
    assert.deepEqual([still.body.status, still.body.slot_id], ["booked", slotAt(service, NINE)]);
    assert.equal((await get(slotPath(slotAt(service, TEN)), { token: citizen.access })).body.remaining, 1);
  });

  it("answers 401 to anonymous calls on every endpoint", async () => {
    const { service } = await aBookableService();
    const mine = await anAppointment(await aCitizen(), slotAt(service, NINE));
    for (const reply of [
      await get(SLOTS),
      await get(slotPath(slotAt(service, NINE))),
      await get(`${AVAILABLE}?service_id=${service.id}&date=2030-01-07`),
      await get(APPOINTMENTS),
      await post(APPOINTMENTS, { slot_id: slotAt(service, TEN) }),
      await get(appointmentPath(mine.id)),
      await put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN) }),
      await del(appointmentPath(mine.id)),
      await get(MINE),
    ]) {
      assertError(reply, 401, "not_authenticated");
    }
  });

  it("rejects bad input on every endpoint", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    assertInvalidField(await get(`${SLOTS}?service_id=nope`, as), "query.service_id");
    assertInvalidField(await get(`${SLOTS}?date_from=tomorrow`, as), "query.date_from");
    assertInvalidField(await get(`${SLOTS}?colour=red`, as), "query");
    assertInvalidField(await get(`${SLOTS}?page_size=1000`, as), "query.page_size");
    assertInvalidField(await get(`${AVAILABLE}?service_id=${service.id}`, as), "query.date");
    assertInvalidField(await get(`${AVAILABLE}?service_id=${service.id}&date=2030-13-45`, as), "query.date");
    assertInvalidField(await get(`${APPOINTMENTS}?status=lost`, as), "query.status");
    assertInvalidField(await get(`${MINE}?ordering=name`, as), "query.ordering");
    assertInvalidField(await post(APPOINTMENTS, { slot_id: 42 }, as), "body.slot_id");
    assertInvalidField(await post(APPOINTMENTS, {}, as), "body.slot_id");
    assertInvalidField(await post(APPOINTMENTS, { slot_id: slotAt(service, TEN), when: "now" }, as), "body");
    assertInvalidField(await put(appointmentPath(mine.id), { slot_id: null }, as), "body.slot_id");
    assertInvalidField(await put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN), extra: 1 }, as), "body");
    assertError(await post(APPOINTMENTS, { slot_id: "no-such-slot" }, as), 404, "not_found");
    assertError(await get(appointmentPath("not-an-id"), as), 404, "not_found");
    await assertRefusesBadBodies("POST", APPOINTMENTS, citizen.access);
    await assertRefusesBadBodies("PUT", appointmentPath(mine.id), citizen.access);
    await assertRefusesBadBodies("POST", `${appointmentPath(mine.id)}check-in/`, citizen.access);
    assert.equal((await get(appointmentPath(mine.id), as)).body.slot_id, slotAt(service, NINE));
  });
});
