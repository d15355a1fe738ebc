import assert from "node:assert/strict";
import fc from "fast-check";
import { DateTime } from "luxon";
import { planSlots } from "../../services/appointments/slots/generate.ts";
import { OpeningHours, WEEKDAYS } from "../../services/business/opening-hours.ts";
import { aSlotPlan } from "./slot-fixtures.ts";

// Zones with no DST, whole-hour DST, and Lord Howe's half-hour DST.
const ZONES = ["Africa/Dakar", "Africa/Nairobi", "Asia/Kathmandu", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"];
const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const minutesOf = (clockTime: string) => Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3));

/** Up to four non-overlapping intervals in a day, as the business schema accepts them. */
const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 23 * 60 + 59 }), { maxLength: 8 })
  .map((bounds) => [...bounds].sort((a, b) => a - b).slice(0, bounds.length - (bounds.length % 2)))
  .map((bounds) => bounds.flatMap((open, n) => (n % 2 === 0 ? [{ open: clock(open), close: clock(bounds[n + 1]!) }] : [])));
const openingHours = fc.tuple(...WEEKDAYS.map(() => dayHours)).map((days) => OpeningHours.parse(Object.fromEntries(WEEKDAYS.map((d, n) => [d, days[n]]))));
// Any time in 2024–2026, or a few days before a clock change in one of the DST zones.
const CLOCK_CHANGES = [Date.UTC(2025, 2, 30), Date.UTC(2025, 9, 26), Date.UTC(2025, 2, 9), Date.UTC(2025, 10, 2), Date.UTC(2025, 3, 6), Date.UTC(2025, 9, 5)];
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }),
  fc.tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: 0, max: 3 * 86_400_000 })).map(([change, before]) => change - before),
).map((ms) => new Date(ms));
const scenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  hours: openingHours,
  slotMinutes: fc.integer({ min: 5, max: 240 }),
  from: instant,
  days: fc.integer({ min: 1, max: 14 }),
  holidayOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 13 }), { maxLength: 4 }),
});

describe("appointments: slot generation properties", () => {
  it("puts every slot inside an opening interval of its local day, without overlaps, with the same keys each time", () => {
    fc.assert(
      fc.property(scenario, ({ zone, hours, slotMinutes, from, days, holidayOffsets }) => {
        const firstDay = DateTime.fromJSDate(from, { zone }).startOf("day");
        const holidays = holidayOffsets.map((n) => firstDay.plus({ days: n }).toISODate()!);
        const plan = aSlotPlan({ time_zone: zone, opening_hours: hours, slot_minutes: slotMinutes, holidays });
        const slots = planSlots(plan, from, days);
        const lastDay = firstDay.plus({ days: days - 1 }).toISODate()!;

        for (const slot of slots) {
          const start = DateTime.fromJSDate(slot.starts_at, { zone });
          // Its last moment, not its end: a slot may end just as the clocks jump forward.
          const last = DateTime.fromMillis(slot.ends_at.getTime() - 1, { zone });
          const startMinutes = start.hour * 60 + start.minute;
          const localDay = start.toISODate()!;
          assert.ok(slot.starts_at >= from, "starts before the window");
          assert.ok(localDay >= firstDay.toISODate()! && localDay <= lastDay, `${localDay} is outside the window`);
          assert.ok(!holidays.includes(localDay), `${localDay} is a holiday`);
          assert.equal(slot.ends_at.getTime() - slot.starts_at.getTime(), slotMinutes * 60_000);
          assert.equal(last.toISODate(), localDay, "ends on another local day");
          assert.equal(last.hour * 60 + last.minute, startMinutes + slotMinutes - 1, "the wall clock changes inside the slot");
          const within = hours[WEEKDAYS[start.weekday - 1]!].some((i) => minutesOf(i.open) <= startMinutes && startMinutes + slotMinutes <= minutesOf(i.close));
          assert.ok(within, `${start.toISO()} lies outside that day's opening hours`);
        }
        for (let n = 1; n < slots.length; n++) {
          assert.ok(slots[n - 1]!.ends_at <= slots[n]!.starts_at, `${slots[n - 1]!.key} overlaps ${slots[n]!.key}`);
        }
        assert.deepEqual(planSlots(plan, from, days).map((s) => s.key), slots.map((s) => s.key));
      }),
      { numRuns: 300 },
    );
  });
});
