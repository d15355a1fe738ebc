// A citizen's appointments read by the range of rows under the citizen's prefix
// (services/appointments/citizen-appointments.ts): their own, as they are now, whatever
// else was booked; and the rows of a database from before written by the backfill.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { backfillAppointmentRows } from "../../services/appointments/rows-backfill.ts";
import { appointmentsStore, ensureAppointmentsIndexes } from "../../services/appointments/store.ts";
import { ofOwner, ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { del, get } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aBookableService, anAppointment, APPOINTMENTS, appointmentPath, slotAt } from "./appointment-fixtures.ts";
import { aStoredAppointment } from "./stored-fixtures.ts";

const MINE = "/api/appointments/my-appointments/";
const store = () => appointmentsStore(system().node.db);

describe("a citizen's appointments", () => {
  it("lists the citizen's own as they are now, beside rows of citizens whose ids start with theirs", async () => {
    const { service } = await aBookableService({ slot_capacity: 3 });
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const [kept, cancelled] = [await anAppointment(citizen, slotAt(service, "2030-01-07T09:00:00Z")), await anAppointment(citizen, slotAt(service, "2030-01-07T10:00:00Z"))];
    const other = await anAppointment(await aCitizen(), slotAt(service, "2030-01-07T09:00:00Z"));
    assert.equal((await del(appointmentPath(cancelled.id), as)).status, 204);
    // Rows of users whose ids start with this one's (pointing at someone's appointment), and
    // one of the citizen's pointing at nothing, as a booking that failed after its row leaves.
    const rows = [`${citizen.user.id}0`, `${citizen.user.id}:x`, `${citizen.user.id};`].map((id) => ({ _id: `${ownerPrefix(id)}${other.id}` }));
    await store().citizenAppointments.collection.insertMany([...rows, { _id: `${ownerPrefix(citizen.user.id)}${new Types.ObjectId().toHexString()}` }] as never[]);
    const mine = await get(`${MINE}?ordering=starts_at`, as);
    assert.deepEqual(mine.body.results.map((a: any) => [a.id, a.status]), [[kept.id, "booked"], [cancelled.id, "cancelled"]]);
    assertPage(await get(`${MINE}?status=booked`, as), 1, 1);
    assertPage(await get(`${APPOINTMENTS}?service_id=${service.id}&status=cancelled`, as), 1, 1);
    // Read from the _id index, however many appointments the offices have booked.
    await assertReadFromIdIndex(store().citizenAppointments.collection, ofOwner(citizen.user.id));
  });

  it("lists those booked before the rows were kept once the backfill has run, and a second run adds nothing", async () => {
    const citizen = await aCitizen();
    const before = aStoredAppointment({ _id: new Types.ObjectId().toHexString(), user_id: citizen.user.id });
    await store().appointments.collection.insertOne(before as never);
    const as = { token: citizen.access };
    assertPage(await get(MINE, as), 0, 0);
    assert.ok((await backfillAppointmentRows(store())) >= 1);
    await backfillAppointmentRows(store());
    assert.deepEqual((await get(MINE, as)).body.results.map((a: any) => a.id), [before._id]);
  });

  it("keeps no index on a seat's slot_id, and drops the one a database from before has", async () => {
    await store().seats.collection.createIndex({ slot_id: 1 });
    await ensureAppointmentsIndexes(store());
    await ensureAppointmentsIndexes(store()); // once dropped, starting again finds nothing to drop
    assert.deepEqual((await store().seats.collection.indexes()).map((index) => index.key), [{ _id: 1 }]);
  });
});
