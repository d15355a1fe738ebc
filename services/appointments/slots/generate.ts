// The bookable slots a service offers over a window of local days: pure, so the recurring
// job, the tests and the benchmark all call the same thing. Hours are wall-clock times in
// the branch's zone; slots are stored in UTC.
import { DateTime, IANAZone, type Zone } from "luxon";
import { WEEKDAYS, type OpeningHours } from "../../business/opening-hours.ts";
import { minutesOf } from "./clock-time.ts";
import { slotKey } from "./key.ts";
import { steadyOffset, wallClockInstant } from "./wall-clock.ts";

export interface SlotPlan {
  service_id: string;
  branch_id: string | null;
  organization_id: string;
  time_zone: string;
  opening_hours: OpeningHours;
  /** Local calendar days, "YYYY-MM-DD". */
  holidays: string[];
  slot_minutes: number;
  capacity: number;
}

export interface PlannedSlot {
  /** `${service_id}:${starts_at ISO UTC}`: the same slot gets the same key on every run. */
  key: string;
  service_id: string;
  branch_id: string | null;
  organization_id: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
}

const MINUTE_MS = 60_000;

/**
 * Slots for `days` local calendar days starting with `from`'s local day, sorted by start.
 * Each opening interval is cut into whole slots from its opening time; a shorter remainder
 * is dropped, and so is any slot that starts before `from`.
 */
export function planSlots(plan: SlotPlan, from: Date, days: number): PlannedSlot[] {
  if (!Number.isInteger(plan.slot_minutes) || plan.slot_minutes <= 0) throw new RangeError(`slot_minutes must be a positive integer, got ${plan.slot_minutes}`);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const zone = IANAZone.create(plan.time_zone);
  if (!zone.isValid) throw new RangeError(`not an IANA time zone: ${plan.time_zone}`);
  const firstDay = DateTime.fromJSDate(from, { zone });

  const holidays = new Set(plan.holidays);
  const slotMs = plan.slot_minutes * MINUTE_MS;
  const fromMs = from.getTime();
  const slots: PlannedSlot[] = [];
  // Calendar arithmetic in UTC, which has no DST, so "the next day" is always one day on.
  const calendar = DateTime.utc(firstDay.year, firstDay.month, firstDay.day);
  for (let d = 0; d < days; d++) {
    const day = calendar.plus({ days: d });
    if (holidays.has(day.toISODate()!)) continue;
    const offset = steadyOffset(zone, day.year, day.month, day.day);
    const midnight = Date.UTC(day.year, day.month - 1, day.day) - (offset ?? 0) * MINUTE_MS;
    for (const interval of plan.opening_hours[WEEKDAYS[day.weekday - 1]!] ?? []) {
      const close = minutesOf(interval.close);
      for (let start = minutesOf(interval.open); start + plan.slot_minutes <= close; start += plan.slot_minutes) {
        const startsAt = offset !== null ? midnight + start * MINUTE_MS : wallClockInstant(zone, day.year, day.month, day.day, start);
        if (startsAt === null || startsAt < fromMs) continue;
        if (offset === null && !sameOffsetThroughout(zone, startsAt, slotMs)) continue;
        slots.push({
          key: slotKey(plan.service_id, new Date(startsAt)),
          service_id: plan.service_id,
          branch_id: plan.branch_id,
          organization_id: plan.organization_id,
          starts_at: new Date(startsAt),
          ends_at: new Date(startsAt + slotMs),
          capacity: plan.capacity,
        });
      }
    }
  }
  // Days come in order; intervals within a day need not.
  return slots.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime());
}

/**
 * A slot the clocks change inside would not last `slot_minutes` on the wall and could run
 * into the next one, so it is not offered.
 */
const sameOffsetThroughout = (zone: Zone, startsAt: number, slotMs: number) => zone.offset(startsAt) === zone.offset(startsAt + slotMs - 1);
