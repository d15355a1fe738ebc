// Whether a scheduled reminder still goes out (services/appointments/reminders.ts, stillDue).
import assert from "node:assert/strict";
import { stillDue } from "../../services/appointments/reminders.ts";
import { aStoredAppointment, NINE_AM } from "./stored-fixtures.ts";

describe("a reminder when its time comes", () => {
  const planned = NINE_AM.toISOString();

  it("goes out for an appointment still booked for the start it was planned for", () => {
    assert.equal(stillDue(aStoredAppointment(), planned), true);
  });

  it("is dropped for an appointment moved, cancelled, checked in or gone since", () => {
    assert.equal(stillDue(aStoredAppointment({ starts_at: new Date("2030-01-07T10:00:00.000Z") }), planned), false);
    assert.equal(stillDue(aStoredAppointment({ status: "cancelled" }), planned), false);
    assert.equal(stillDue(aStoredAppointment({ status: "checked_in" }), planned), false);
    assert.equal(stillDue(null, planned), false);
  });
});
