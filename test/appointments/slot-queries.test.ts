// Which instants a dated list and a day's availability read (mixins/api/list-window.ts, services/appointments/slot-queries.ts).
import assert from "node:assert/strict";
import { daysAhead, daysBack, listWindow } from "../../mixins/api/list-window.ts";
import { availabilityWindow } from "../../services/appointments/slot-queries.ts";
import { refusedWith } from "../support/assertions.ts";

const at = (iso: string) => new Date(iso);

describe("the window of a dated list", () => {
  const now = Date.parse("2030-01-07T10:15:00Z");
  it("reads whole UTC days, date_to's included", () => {
    assert.deepEqual(listWindow({ date_from: "2030-01-07", date_to: "2030-01-08" }, daysAhead(now, 14)), { from: at("2030-01-07T00:00:00Z"), until: at("2030-01-09T00:00:00Z") });
  });

  it("takes an instant as it is, and each bound alone over the slot window", () => {
    assert.deepEqual(listWindow({ date_from: "2030-01-07T09:30:00+01:00" }, daysAhead(now, 14)), { from: at("2030-01-07T08:30:00Z"), until: at("2030-01-22T08:30:00Z") });
    assert.deepEqual(listWindow({ date_to: "2030-01-07T12:00:00Z" }, daysAhead(now, 14)), { from: at("2029-12-23T12:00:00Z"), until: at("2030-01-07T12:00:00Z") });
  });

  it("covers today (UTC) and the slot window ahead unless told, never more than 92 days", () => {
    assert.deepEqual(listWindow({}, daysAhead(now, 14)), { from: at("2030-01-07T00:00:00Z"), until: at("2030-01-22T00:00:00Z") });
    assert.deepEqual(listWindow({}, daysAhead(now, 366)), { from: at("2030-01-07T00:00:00Z"), until: at("2030-04-09T00:00:00Z") });
    assert.throws(() => listWindow({ date_from: "2030-01-01", date_to: "2030-04-03" }, daysAhead(now, 14)), refusedWith("validation_failed"));
    assert.throws(() => listWindow({ date_from: "2030-01-08", date_to: "2030-01-07" }, daysAhead(now, 14)), refusedWith("validation_failed"));
  });

  it("covers the days up to the end of today for a list of what was done", () => {
    assert.deepEqual(listWindow({}, daysBack(now, 31)), { from: at("2029-12-08T00:00:00Z"), until: at("2030-01-08T00:00:00Z") });
    assert.deepEqual(listWindow({ date_to: "2029-12-31" }, daysBack(now, 31)), { from: at("2029-12-01T00:00:00Z"), until: at("2030-01-01T00:00:00Z") });
  });
});

describe("a day's available slots", () => {
  it("covers the branch's local day", () => {
    assert.deepEqual(availabilityWindow("2030-01-07", "Africa/Dakar", 0), { from: at("2030-01-07T00:00:00Z"), until: at("2030-01-08T00:00:00Z") });
    assert.deepEqual(availabilityWindow("2030-01-07", "Africa/Lagos", 0), { from: at("2030-01-06T23:00:00Z"), until: at("2030-01-07T23:00:00Z") });
  });

  it("starts from now on the day itself, so a started slot is never offered", () => {
    const now = Date.parse("2030-01-07T10:15:00Z");
    assert.deepEqual(availabilityWindow("2030-01-07", "Africa/Dakar", now), { from: new Date(now), until: at("2030-01-08T00:00:00Z") });
  });

  it("refuses a date that is not on the calendar", () => {
    assert.throws(() => availabilityWindow("2030-02-30", "Africa/Dakar", 0), refusedWith("validation_failed"));
  });
});
