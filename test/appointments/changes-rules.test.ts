// What may be moved or cancelled, decided before anything is read or written
// (services/appointments/changes.ts): without a broker or a database.
import assert from "node:assert/strict";
import { moveAppointment, mustBeBooked } from "../../services/appointments/changes.ts";
import { refusedWith } from "../support/assertions.ts";
import { aStoredAppointment, aStoredSlot, NINE_AM, untouchedStore } from "./stored-fixtures.ts";

describe("appointment changes", () => {
  it("changes only a booked appointment", () => {
    mustBeBooked(aStoredAppointment());
    for (const status of ["checked_in", "cancelled", "no_show"] as const) {
      assert.throws(() => mustBeBooked(aStoredAppointment({ status })), refusedWith("appointment_not_booked"), status);
    }
  });

  it("refuses to move an appointment to another service's slot", async () => {
    const elsewhere = aStoredSlot({ _id: "svc-2:slot", service_id: "svc-2" });
    await assert.rejects(moveAppointment(untouchedStore, aStoredAppointment(), elsewhere, NINE_AM), refusedWith("validation_failed"));
  });

  it("leaves an appointment moved to the slot it holds as it is", async () => {
    const appointment = aStoredAppointment();
    assert.deepEqual(await moveAppointment(untouchedStore, appointment, aStoredSlot(), NINE_AM), { appointment, moved: false });
  });
});
