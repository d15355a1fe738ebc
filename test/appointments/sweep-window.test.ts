// What one run of the sweep reads (services/appointments/sweep.ts, sweepWindow).
import assert from "node:assert/strict";
import { sweepWindow } from "../../services/appointments/sweep.ts";
import { MINUTE, NINE_AM } from "./stored-fixtures.ts";

const now = NINE_AM.getTime();
const settings = { noShowGraceMinutes: 15, everyMinutes: 5, remindersMinutes: [1440, 60] };

describe("the appointments sweep", () => {
  it("takes an appointment not checked in by the end of the grace period for a no-show", () => {
    assert.equal(sweepWindow(now, settings).lateBefore.getTime(), now - 15 * MINUTE);
  });

  it("schedules the reminders due before the next two sweeps, of appointments that far past the longest reminder", () => {
    const window = sweepWindow(now, settings);
    assert.equal(window.remindUntil, now + 10 * MINUTE);
    assert.equal(window.startsUntil.getTime(), now + 10 * MINUTE + 1440 * MINUTE);
  });

  it("reads only the next two sweeps' starts when no reminder is configured", () => {
    assert.equal(sweepWindow(now, { ...settings, remindersMinutes: [] }).startsUntil.getTime(), now + 10 * MINUTE);
  });
});
