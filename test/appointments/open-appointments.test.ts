// The sweep reads the rows of the appointments still open (services/appointments/open-appointments.ts):
// booking and moving write them, and the sweep forgets those whose appointment is no longer
// open there. Called here with effects of its own and no no-show window, so that it changes
// no other test's appointment.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { openRowId } from "../../services/appointments/open-appointments.ts";
import { backfillAppointmentRows } from "../../services/appointments/rows-backfill.ts";
import { appointmentsStore } from "../../services/appointments/store.ts";
import { sweep } from "../../services/appointments/sweep.ts";
import { aCitizen } from "../support/fixtures.ts";
import { del, put } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aBookableService, anAppointment, appointmentPath, slotAt } from "./appointment-fixtures.ts";
import { aStoredAppointment } from "./stored-fixtures.ts";

const store = () => appointmentsStore(system().node.db);
const at = (iso: string) => new Date(iso);
const rowExists = async (startsAt: string, id: string) => (await store().openAppointments.exists({ _id: openRowId(at(startsAt), id) })) !== null;

describe("the sweep's rows of open appointments", () => {
  it("are written at booking, and forgotten once their appointment is no longer open there", async () => {
    const { service } = await aBookableService({ slot_capacity: 3 });
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const cancelled = await anAppointment(citizen, slotAt(service, "2030-01-07T09:00:00Z"));
    const kept = await anAppointment(await aCitizen(), slotAt(service, "2030-01-07T11:00:00Z"));
    assert.ok((await rowExists("2030-01-07T09:00:00Z", cancelled.id)) && (await rowExists("2030-01-07T11:00:00Z", kept.id)), "written at booking");
    assert.equal((await del(appointmentPath(cancelled.id), as)).status, 204);
    const reminded: string[] = [];
    const ended: string[] = [];
    const now = Date.parse("2030-01-06T12:00:00Z");
    await sweep(store(), { now, lateBefore: new Date(0), remindUntil: now, startsUntil: at("2030-01-07T12:00:00Z") }, { remind: async (doc) => void reminded.push(doc._id), ended: async (doc) => void ended.push(doc._id) });
    assert.ok(reminded.includes(kept.id) && !reminded.includes(cancelled.id), "the open one reminded, the cancelled one not");
    assert.deepEqual(ended, []);
    assert.equal(await rowExists("2030-01-07T09:00:00Z", cancelled.id), false, "the cancelled one's row forgotten");
    assert.equal(await rowExists("2030-01-07T11:00:00Z", kept.id), true, "the open one's row kept");
  });

  it("moves with its appointment: the row at the old start is forgotten, the new one kept", async () => {
    const { service } = await aBookableService({ slot_capacity: 3 });
    const citizen = await aCitizen();
    const appointment = await anAppointment(citizen, slotAt(service, "2030-01-07T13:00:00Z"));
    const moved = await put(appointmentPath(appointment.id), { slot_id: slotAt(service, "2030-01-10T13:00:00Z") }, { token: citizen.access });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const now = Date.parse("2030-01-06T12:00:00Z");
    await sweep(store(), { now, lateBefore: new Date(0), remindUntil: now, startsUntil: at("2030-01-07T14:00:00Z") }, { remind: async () => {}, ended: async () => {} });
    assert.equal(await rowExists("2030-01-07T13:00:00Z", appointment.id), false);
    assert.equal(await rowExists("2030-01-10T13:00:00Z", appointment.id), true);
  });

  it("acts on an appointment from before the rows only once the backfill has written its row", async () => {
    const citizen = await aCitizen();
    const id = new Types.ObjectId().toHexString();
    await store().appointments.collection.insertOne(aStoredAppointment({ _id: id, user_id: citizen.user.id, starts_at: at("2030-01-07T15:00:00Z") }) as never);
    assert.equal(await rowExists("2030-01-07T15:00:00Z", id), false);
    await backfillAppointmentRows(store());
    assert.equal(await rowExists("2030-01-07T15:00:00Z", id), true);
  });
});
