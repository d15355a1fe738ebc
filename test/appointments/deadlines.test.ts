// When it is too late to book or to change (services/appointments/deadlines.ts).
import assert from "node:assert/strict";
import { mustBeBeforeCutoff, notStarted } from "../../services/appointments/deadlines.ts";
import { refusedWith } from "../support/assertions.ts";
import { aStoredAppointment, aStoredSlot, MINUTE, NINE_AM } from "./stored-fixtures.ts";

const nine = NINE_AM.getTime();

describe("booking deadlines", () => {
  it("takes a place in a slot up to the millisecond before it starts", () => {
    const slot = aStoredSlot();
    assert.equal(notStarted(slot, nine - 1), slot);
    assert.throws(() => notStarted(slot, nine), refusedWith("slot_started"));
    assert.throws(() => notStarted(slot, nine + 30 * MINUTE), refusedWith("slot_started"));
  });

  it("changes an appointment up to its service's cut-off before the start, and not after", () => {
    const appointment = aStoredAppointment();
    mustBeBeforeCutoff(appointment, 60, nine - 60 * MINUTE);
    assert.throws(() => mustBeBeforeCutoff(appointment, 60, nine - 60 * MINUTE + 1), refusedWith("cutoff_passed"));
  });

  it("changes an appointment until it starts when its service has no cut-off", () => {
    mustBeBeforeCutoff(aStoredAppointment(), 0, nine);
    assert.throws(() => mustBeBeforeCutoff(aStoredAppointment(), 0, nine + 1), refusedWith("cutoff_passed"));
  });
});
