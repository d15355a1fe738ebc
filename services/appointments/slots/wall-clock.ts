// Local wall-clock time to UTC instant, the same answer whenever it is asked. luxon's
// DateTime.fromObject settles a repeated autumn hour from the offset in force *now*, so a
// slot's key would change between a summer run and a winter run; here the first occurrence
// always wins.
import type { Zone } from "luxon";

const MINUTE_MS = 60_000;
/** Every zone changes its offset at most once within a day either side of a local time. */
const DAY_MS = 86_400_000;

/**
 * The UTC instant (ms) at which clocks in `zone` show this local date and time, the earlier
 * one when they show it twice, or null when they skip it (a spring-forward gap, a skipped day).
 */
export function wallClockInstant(zone: Zone, year: number, month: number, day: number, minutes: number): number | null {
  const asIfUtc = Date.UTC(year, month - 1, day, 0, minutes);
  let instant: number | null = null;
  for (const offset of new Set([zone.offset(asIfUtc - DAY_MS), zone.offset(asIfUtc + DAY_MS)])) {
    const candidate = asIfUtc - offset * MINUTE_MS;
    if (zone.offset(candidate) === offset && (instant === null || candidate < instant)) instant = candidate;
  }
  return instant;
}

/**
 * The offset (minutes) clocks in `zone` keep all through this local day, or null when they
 * may change on it. Asking once per day instead of once per slot keeps planning cheap:
 * luxon answers each offset by formatting a date through Intl.
 */
export function steadyOffset(zone: Zone, year: number, month: number, day: number): number | null {
  const midnightAsIfUtc = Date.UTC(year, month - 1, day);
  // The local day lies within [midnight - 14 h, midnight + 38 h] in UTC whatever the offset.
  const offset = zone.offset(midnightAsIfUtc - DAY_MS);
  return zone.offset(midnightAsIfUtc + 2 * DAY_MS) === offset ? offset : null;
}
