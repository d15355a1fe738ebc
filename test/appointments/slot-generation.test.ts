import assert from "node:assert/strict";
import { Settings } from "luxon";
import { planSlots } from "../../services/appointments/slots/generate.ts";
import { aSlotPlan, countByUtcDay, MONDAY, onlyOn, startsOf } from "./slot-fixtures.ts";

const HOUR = 3_600_000;

describe("appointments: slot generation", () => {
  it("gives 16 thirty-minute slots each weekday and none at the weekend by default", () => {
    const slots = planSlots(aSlotPlan(), MONDAY, 7);
    assert.deepEqual(countByUtcDay(slots), {
      "2025-03-10": 16, "2025-03-11": 16, "2025-03-12": 16, "2025-03-13": 16, "2025-03-14": 16,
    });
  });

  it("gives a slot from 9:00 to 9:30 through one from 16:30 to 17:00", () => {
    const slots = planSlots(aSlotPlan(), MONDAY, 1);
    assert.equal(slots[0]!.starts_at.toISOString(), "2025-03-10T09:00:00.000Z");
    assert.equal(slots[0]!.ends_at.toISOString(), "2025-03-10T09:30:00.000Z");
    assert.equal(slots.at(-1)!.starts_at.toISOString(), "2025-03-10T16:30:00.000Z");
    assert.equal(slots.at(-1)!.ends_at.toISOString(), "2025-03-10T17:00:00.000Z");
  });

  it("carries the service, branch, organisation and capacity onto every slot", () => {
    const [slot] = planSlots(aSlotPlan({ capacity: 3 }), MONDAY, 1);
    assert.deepEqual(
      { ...slot!, starts_at: undefined, ends_at: undefined },
      { key: "svc-1:2025-03-10T09:00:00.000Z", service_id: "svc-1", branch_id: "branch-1", organization_id: "org-1", capacity: 3, starts_at: undefined, ends_at: undefined },
    );
  });

  it("gives no slots on a holiday", () => {
    const slots = planSlots(aSlotPlan({ holidays: ["2025-03-11"] }), MONDAY, 3);
    assert.deepEqual(countByUtcDay(slots), { "2025-03-10": 16, "2025-03-12": 16 });
  });

  it("gives slots in both halves of a day with a lunch break and none during it", () => {
    const hours = onlyOn("monday", [{ open: "08:00", close: "12:00" }, { open: "14:00", close: "16:00" }]);
    const slots = planSlots(aSlotPlan({ opening_hours: hours, slot_minutes: 60 }), MONDAY, 1);
    assert.deepEqual(startsOf(slots), [
      "2025-03-10T08:00:00.000Z", "2025-03-10T09:00:00.000Z", "2025-03-10T10:00:00.000Z", "2025-03-10T11:00:00.000Z",
      "2025-03-10T14:00:00.000Z", "2025-03-10T15:00:00.000Z",
    ]);
  });

  it("sorts slots by start even when a day's intervals are listed out of order", () => {
    const hours = onlyOn("monday", [{ open: "14:00", close: "15:00" }, { open: "08:00", close: "09:00" }]);
    const slots = planSlots(aSlotPlan({ opening_hours: hours, slot_minutes: 60 }), MONDAY, 1);
    assert.deepEqual(startsOf(slots), ["2025-03-10T08:00:00.000Z", "2025-03-10T14:00:00.000Z"]);
  });

  it("drops the remainder of an interval shorter than one 45-minute slot", () => {
    const slots = planSlots(aSlotPlan({ slot_minutes: 45 }), MONDAY, 1);
    // 9:00–17:00 is 480 minutes: ten whole slots, the last ending at 16:30; 16:30–17:00 is too short.
    assert.equal(slots.length, 10);
    assert.equal(slots.at(-1)!.starts_at.toISOString(), "2025-03-10T15:45:00.000Z");
    assert.equal(slots.at(-1)!.ends_at.toISOString(), "2025-03-10T16:30:00.000Z");
  });

  it("keeps Dakar's wall-clock times as UTC times", () => {
    const slots = planSlots(aSlotPlan({ time_zone: "Africa/Dakar" }), MONDAY, 1);
    assert.equal(slots[0]!.starts_at.toISOString(), "2025-03-10T09:00:00.000Z");
  });

  it("converts Nairobi's 9:00 to 6:00 UTC", () => {
    const slots = planSlots(aSlotPlan({ time_zone: "Africa/Nairobi" }), new Date(Date.UTC(2025, 2, 9, 21)), 1);
    assert.equal(slots.length, 16);
    assert.equal(slots[0]!.starts_at.toISOString(), "2025-03-10T06:00:00.000Z");
    assert.equal(slots.at(-1)!.ends_at.toISOString(), "2025-03-10T14:00:00.000Z");
  });

  it("plans by the local day in the zone, not the UTC day", () => {
    // 22:00 UTC on Sunday is already Monday 01:00 in Nairobi: one local day is Monday.
    const slots = planSlots(aSlotPlan({ time_zone: "Africa/Nairobi" }), new Date(Date.UTC(2025, 2, 9, 22)), 1);
    assert.equal(slots.length, 16);
  });

  it("offers no slot in the hour Paris skips in spring, and no duplicate after it", () => {
    // Sunday 30 March 2025: Paris clocks go from 02:00 (UTC+1) straight to 03:00 (UTC+2).
    const hours = onlyOn("sunday", [{ open: "00:00", close: "05:00" }]);
    const slots = planSlots(aSlotPlan({ time_zone: "Europe/Paris", opening_hours: hours }), new Date(Date.UTC(2025, 2, 29, 12)), 2);
    assert.deepEqual(startsOf(slots), [
      "2025-03-29T23:00:00.000Z", "2025-03-29T23:30:00.000Z", // 00:00, 00:30 UTC+1
      "2025-03-30T00:00:00.000Z", "2025-03-30T00:30:00.000Z", // 01:00, 01:30 UTC+1
      "2025-03-30T01:00:00.000Z", "2025-03-30T01:30:00.000Z", // 03:00, 03:30 UTC+2
      "2025-03-30T02:00:00.000Z", "2025-03-30T02:30:00.000Z", // 04:00, 04:30 UTC+2
    ]);
    assert.equal(new Set(startsOf(slots)).size, slots.length);
  });

  it("converts Paris office hours with summer time after the change", () => {
    const slots = planSlots(aSlotPlan({ time_zone: "Europe/Paris" }), new Date(Date.UTC(2025, 2, 28)), 4);
    assert.deepEqual(countByUtcDay(slots), { "2025-03-28": 16, "2025-03-31": 16 });
    assert.equal(slots[0]!.starts_at.toISOString(), "2025-03-28T08:00:00.000Z"); // Friday 9:00 UTC+1
    assert.equal(slots[16]!.starts_at.toISOString(), "2025-03-31T07:00:00.000Z"); // Monday 9:00 UTC+2
  });

  it("does not offer a slot that the spring change cuts into", () => {
    // 45-minute slots from 00:00: the one at 01:30 would run past 02:00 into summer time.
    const hours = onlyOn("sunday", [{ open: "00:00", close: "04:30" }]);
    const slots = planSlots(aSlotPlan({ time_zone: "Europe/Paris", opening_hours: hours, slot_minutes: 45 }), new Date(Date.UTC(2025, 2, 29, 12)), 2);
    // 00:00, 00:45 winter time; 01:30 crosses the change; 02:15 does not exist; 03:00, 03:45 summer time.
    assert.deepEqual(startsOf(slots), ["2025-03-29T23:00:00.000Z", "2025-03-29T23:45:00.000Z", "2025-03-30T01:00:00.000Z", "2025-03-30T01:45:00.000Z"]);
  });

  it("offers the slot that ends just as Paris springs forward", () => {
    const hours = onlyOn("sunday", [{ open: "01:00", close: "02:00" }]);
    const slots = planSlots(aSlotPlan({ time_zone: "Europe/Paris", opening_hours: hours }), new Date(Date.UTC(2025, 2, 29, 12)), 2);
    assert.equal(slots.at(-1)!.starts_at.toISOString(), "2025-03-30T00:30:00.000Z"); // 01:30 UTC+1
    assert.equal(slots.at(-1)!.ends_at.toISOString(), "2025-03-30T01:00:00.000Z"); // 02:00 UTC+1, which the clocks show as 03:00
  });

  it("offers the hour Paris repeats in autumn once", () => {
    // Sunday 26 October 2025: Paris clocks go back from 03:00 (UTC+2) to 02:00 (UTC+1).
    const hours = onlyOn("sunday", [{ open: "01:00", close: "04:00" }]);
    const slots = planSlots(aSlotPlan({ time_zone: "Europe/Paris", opening_hours: hours }), new Date(Date.UTC(2025, 9, 25, 12)), 2);
    assert.deepEqual(startsOf(slots), [
      "2025-10-25T23:00:00.000Z", "2025-10-25T23:30:00.000Z", // 01:00, 01:30 UTC+2
      "2025-10-26T00:00:00.000Z", "2025-10-26T00:30:00.000Z", // 02:00, 02:30 UTC+2, the first time round
      "2025-10-26T02:00:00.000Z", "2025-10-26T02:30:00.000Z", // 03:00, 03:30 UTC+1
    ]);
  });

  it("gives the repeated autumn hour the same slots whether it plans in summer or in winter", () => {
    const hours = onlyOn("sunday", [{ open: "01:00", close: "04:00" }]);
    const plan = aSlotPlan({ time_zone: "Europe/Paris", opening_hours: hours });
    const planAt = (now: number) => {
      const real = Settings.now;
      Settings.now = () => now;
      try {
        return planSlots(plan, new Date(Date.UTC(2025, 9, 25, 12)), 2).map((s) => s.key);
      } finally {
        Settings.now = real;
      }
    };
    assert.deepEqual(planAt(Date.UTC(2025, 6, 1)), planAt(Date.UTC(2025, 11, 1)));
  });

  it("leaves out slots that start before the window opens", () => {
    const slots = planSlots(aSlotPlan(), new Date(Date.UTC(2025, 2, 10, 12, 10)), 1);
    assert.equal(slots.length, 9);
    assert.equal(slots[0]!.starts_at.toISOString(), "2025-03-10T12:30:00.000Z");
  });

  it("counts the window's days from the local day of its start", () => {
    const slots = planSlots(aSlotPlan(), new Date(Date.UTC(2025, 2, 10, 12, 10)), 14);
    assert.equal(slots.length, 9 + 9 * 16);
    assert.equal(slots.at(-1)!.starts_at.toISOString(), "2025-03-21T16:30:00.000Z");
  });

  it("gives the same keys when planned twice", () => {
    const first = planSlots(aSlotPlan(), MONDAY, 14).map((s) => s.key);
    const second = planSlots(aSlotPlan(), MONDAY, 14).map((s) => s.key);
    assert.deepEqual(second, first);
    assert.equal(first[0], "svc-1:2025-03-10T09:00:00.000Z");
  });

  it("gives the same key to a slot whichever day the rolling window starts on", () => {
    const monday = planSlots(aSlotPlan(), MONDAY, 14);
    const wednesday = planSlots(aSlotPlan(), new Date(MONDAY.getTime() + 48 * HOUR), 14);
    const overlap = new Set(monday.map((s) => s.key));
    assert.deepEqual(wednesday.filter((s) => overlap.has(s.key)).map((s) => s.key), monday.filter((s) => s.starts_at >= wednesday[0]!.starts_at).map((s) => s.key));
  });

  it("gives nothing for a zero-day window", () => {
    assert.deepEqual(planSlots(aSlotPlan(), MONDAY, 0), []);
  });

  it("refuses a slot length that is not a positive whole number of minutes", () => {
    assert.throws(() => planSlots(aSlotPlan({ slot_minutes: 0 }), MONDAY, 1), RangeError);
    assert.throws(() => planSlots(aSlotPlan({ slot_minutes: 7.5 }), MONDAY, 1), RangeError);
  });

  it("refuses an unknown time zone", () => {
    assert.throws(() => planSlots(aSlotPlan({ time_zone: "Africa/Atlantis" }), MONDAY, 1), RangeError);
  });
});
