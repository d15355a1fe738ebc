// Staff's list of their organisation's appointments, read from the rows under the
// organisation by start (services/appointments/organization-appointments.ts): the window of
// starts asked, the organisation's only, as the appointments are now; the rows of a database
// from before written by the backfill.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { organizationRowId } from "../../services/appointments/organization-appointments.ts";
import { backfillAppointmentRows } from "../../services/appointments/rows-backfill.ts";
import { appointmentsStore, ensureAppointmentsIndexes } from "../../services/appointments/store.ts";
import { assertError, assertInvalidField, assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { aCitizen, anAgent, aPlatformAdmin } from "../support/fixtures.ts";
import { del, get, put } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aBookableService, anAppointment, APPOINTMENTS, appointmentPath, slotAt } from "./appointment-fixtures.ts";
import { aStoredAppointment } from "./stored-fixtures.ts";

const store = () => appointmentsStore(system().node.db);
const MONDAY = "date_from=2030-01-07&date_to=2030-01-07";
const ids = (reply: { body: { results: Array<{ id: string }> } }) => reply.body.results.map((a) => a.id);

describe("an organisation's appointments, for its staff", () => {
  it("lists those that start in the window asked, as they are now, the organisation's only", async () => {
    const { org, service } = await aBookableService({ slot_capacity: 3 });
    const agent = { token: (await anAgent(org.id)).access };
    const citizen = await aCitizen();
    const nine = await anAppointment(citizen, slotAt(service, "2030-01-07T09:00:00Z"));
    const tenBy = await aCitizen();
    const ten = await anAppointment(tenBy, slotAt(service, "2030-01-07T10:00:00Z"));
    const tuesday = await anAppointment(citizen, slotAt(service, "2030-01-08T09:00:00Z"));
    assert.equal((await del(appointmentPath(ten.id), { token: tenBy.access })).status, 204);
    const foreign = await aBookableService();
    await anAppointment(await aCitizen(), slotAt(foreign.service, "2030-01-07T09:00:00Z"));

    const monday = await get(`${APPOINTMENTS}?${MONDAY}`, agent);
    assert.deepEqual(monday.body.results.map((a: any) => [a.id, a.status]), [[nine.id, "booked"], [ten.id, "cancelled"]]);
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?date_from=2030-01-07&date_to=2030-01-08&ordering=-starts_at`, agent)), [tuesday.id, ten.id, nine.id]);
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?date_from=2030-01-07T09:30:00Z&date_to=2030-01-08`, agent)), [ten.id, tuesday.id]);
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?date_from=2030-01-07&date_to=2030-01-08&user_id=${citizen.user.id}`, agent)), [nine.id, tuesday.id]);
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}&service_id=${foreign.service.id}`, agent), 0, 0);
    // Nothing in the days ahead of today, by default: these are in 2030.
    assertPage(await get(APPOINTMENTS, agent), 0, 0);
    // Another organisation's staff, or this one's naming another, see none of them.
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}`, { token: (await anAgent(foreign.org.id)).access }), 1, 1);
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}&organization_id=${foreign.org.id}`, agent), 0, 0);
    // The platform admin names the organisation.
    const admin = { token: (await aPlatformAdmin()).access };
    assertInvalidField(await get(`${APPOINTMENTS}?${MONDAY}`, admin), "query.organization_id");
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?${MONDAY}&organization_id=${org.id}`, admin)), [nine.id, ten.id]);
  });

  it("reads only the page's appointments unless status, search or created_at pick or order them, with the same answers", async () => {
    const { org, service } = await aBookableService({ slot_capacity: 2 });
    const agent = { token: (await anAgent(org.id)).access };
    const booked = [];
    for (const hour of ["09", "10", "11", "12"]) booked.push(await anAppointment(await aCitizen(), slotAt(service, `2030-01-07T${hour}:00:00Z`)));
    const cancelledBy = await aCitizen();
    const cancelled = await anAppointment(cancelledBy, slotAt(service, "2030-01-07T10:00:00Z"));
    assert.equal((await del(appointmentPath(cancelled.id), { token: cancelledBy.access })).status, 204);

    const page2 = await get(`${APPOINTMENTS}?${MONDAY}&page_size=2&page=2`, agent);
    assertPage(page2, 5, 2);
    assert.equal(page2.body.results[0].starts_at, "2030-01-07T10:00:00.000Z");
    const statuses = await get(`${APPOINTMENTS}?${MONDAY}&status=cancelled`, agent);
    assert.deepEqual(statuses.body.results.map((a: any) => [a.id, a.status]), [[cancelled.id, "cancelled"]]);
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}&search=cancel`, agent), 1, 1);
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}&status=booked&page_size=3`, agent), 4, 3);
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?${MONDAY}&ordering=created_at`, agent)), [...booked.map((a) => a.id), cancelled.id]);
  });

  it("lists a moved appointment at its new start only", async () => {
    const { org, service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, "2030-01-07T09:00:00Z"));
    assert.equal((await put(appointmentPath(mine.id), { slot_id: slotAt(service, "2030-01-08T10:00:00Z") }, { token: citizen.access })).status, 200);
    const agent = { token: (await anAgent(org.id)).access };
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}`, agent), 0, 0);
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?date_from=2030-01-08&date_to=2030-01-08`, agent)), [mine.id]);
    const rows = await store().organizationAppointments.find({ _id: { $gte: ownerPrefix(org.id), $lt: `${org.id.length}:${org.id};` } }).lean();
    assert.deepEqual(rows.map((row) => row._id), [organizationRowId(org.id, new Date("2030-01-08T10:00:00Z"), mine.id)], "the row at the old start is gone");
  });

  it("skips a row left behind by a move that stopped half-way, and reads the rows from the _id index", async () => {
    const { org, service } = await aBookableService();
    const mine = await anAppointment(await aCitizen(), slotAt(service, "2030-01-07T09:00:00Z"));
    // The row a move writes before it moves the appointment, the move never made.
    await store().organizationAppointments.create({ _id: organizationRowId(org.id, new Date("2030-01-07T11:00:00Z"), mine.id), service_id: service.id, user_id: "someone" });
    const agent = { token: (await anAgent(org.id)).access };
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?${MONDAY}&status=booked`, agent)), [mine.id]);
    const from = `${ownerPrefix(org.id)}2030-01-07T00:00:00.000Z`;
    await assertReadFromIdIndex(store().organizationAppointments.collection, { _id: { $gte: from, $lt: `${ownerPrefix(org.id)}2030-01-08T00:00:00.000Z` } });
  });

  it("refuses a window that ends before it starts or spans more than 92 days", async () => {
    const { org } = await aBookableService();
    const agent = { token: (await anAgent(org.id)).access };
    assertInvalidField(await get(`${APPOINTMENTS}?date_from=2030-01-08&date_to=2030-01-07`, agent), "query.date_to");
    assertInvalidField(await get(`${APPOINTMENTS}?date_from=2030-01-01&date_to=2030-04-03`, agent), "query.date_to");
    assertPage(await get(`${APPOINTMENTS}?date_from=2030-01-01&date_to=2030-04-02`, agent), 0, 0);
    assertInvalidField(await get(`${APPOINTMENTS}?date_from=tomorrow`, agent), "query.date_from");
    assertError(await get(`${APPOINTMENTS}?${MONDAY}`), 401, "not_authenticated");
  });

  it("lists those booked before the rows were kept once the backfill has run", async () => {
    const { org, service } = await aBookableService();
    const before = aStoredAppointment({ _id: new Types.ObjectId().toHexString(), organization_id: org.id, service_id: service.id });
    await store().appointments.collection.insertOne(before as never);
    const agent = { token: (await anAgent(org.id)).access };
    assertPage(await get(`${APPOINTMENTS}?${MONDAY}`, agent), 0, 0);
    await backfillAppointmentRows(store());
    assert.deepEqual(ids(await get(`${APPOINTMENTS}?${MONDAY}`, agent)), [before._id]);
  });

  it("keeps no index on an appointment's citizen or organisation, and drops those a database from before has", async () => {
    await store().appointments.collection.createIndex({ user_id: 1 });
    await store().appointments.collection.createIndex({ organization_id: 1 });
    await ensureAppointmentsIndexes(store());
    const keys = (await store().appointments.collection.indexes()).map((index) => Object.keys(index.key).join(","));
    assert.deepEqual(keys.filter((key) => key === "user_id" || key === "organization_id"), []);
  });
});
