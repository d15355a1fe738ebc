// Which slots a listing and a day's availability read (services/appointments/slot-queries.ts).
import assert from "node:assert/strict";
import { availabilityWindow, listingFilter } from "../../services/appointments/slot-queries.ts";
import { refusedWith } from "../support/assertions.ts";

const at = (iso: string) => new Date(iso);

describe("slot listings", () => {
  it("reads whole UTC days, date_to's included", () => {
    assert.deepEqual(listingFilter({ date_from: "2030-01-07", date_to: "2030-01-08" }), {
      starts_at: { $gte: at("2030-01-07T00:00:00Z"), $lt: at("2030-01-09T00:00:00Z") },
    });
  });

  it("takes an instant as it is, and each bound alone", () => {
    assert.deepEqual(listingFilter({ date_from: "2030-01-07T09:30:00+01:00" }), { starts_at: { $gte: at("2030-01-07T08:30:00Z") } });
    assert.deepEqual(listingFilter({ service_id: "svc-1", date_to: "2030-01-07T12:00:00Z" }), { service_id: "svc-1", starts_at: { $lt: at("2030-01-07T12:00:00Z") } });
  });

  it("filters on nothing it was not given", () => {
    assert.deepEqual(listingFilter({}), {});
    assert.deepEqual(listingFilter({ branch_id: "branch-1" }), { branch_id: "branch-1" });
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
