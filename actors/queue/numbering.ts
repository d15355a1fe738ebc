// Daily ticket numbers, … restarting at each local midnight of the queue's
// time zone. The local day comes from Intl (pure: the zone database ships with Node), not
// from UTC arithmetic, because offsets are per zone and may change.
import type { QueueState } from "./types.ts";

// Building a formatter costs far more than using one; there are only a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Whether `at` is an instant Intl can place on a calendar (it throws for any other). */
export const isInstant = (at: unknown): at is number => typeof at === "number" && Math.abs(at) <= 8.64e15;

const US_DATE = /^(\d{2})\/(\d{2})\/(\d+)$/;

// Every offset in the zone database is a whole number of seconds, so a day begins on a
// second: the day of the last second asked in a zone answers the other tickets of that
// second without Intl (a busy node issues many a second; formatting was 1.5% of its time).
const lastSecondAsked = new Map<string, { second: number; day: string }>();

/** The calendar day (YYYY-MM-DD) in `timeZone` at the instant `at` (epoch ms). */
export function localDay(at: number, timeZone: string): string {
  const second = Math.floor(at / 1000);
  const last = lastSecondAsked.get(timeZone);
  if (last?.second === second) return last.day;
  const day = dayFromIntl(at, timeZone);
  lastSecondAsked.set(timeZone, { second, day });
  return day;
}

function dayFromIntl(at: number, timeZone: string): string {
  const formatter = formatterFor(timeZone);
  // format() is about three times cheaper than formatToParts(), and issuing a ticket needs
  // this every time; the parts stay as the fallback should the locale data ever differ.
  const us = US_DATE.exec(formatter.format(at));
  if (us) return `${us[3].padStart(4, "0")}-${us[1]}-${us[2]}`;
  const part = (type: string) => formatter.formatToParts(at).find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

export function displayNumber(prefix: string, sequence: number): string {
  return `${prefix}-${String(sequence).padStart(3, "0")}`;
}

export interface Numbered {
  day: string;
  sequence: number;
  number: string;
}

/**
 * The number for a ticket issued at `at`. The sequence restarts only when the local day
 * moves forward: a clock that steps back, or a zone changed mid-day, keeps counting on
 * the current day, so a (day, number) pair is never handed out twice.
 */
export function nextNumber(state: Pick<QueueState, "day" | "sequence" | "policy">, at: number): Numbered {
  const today = localDay(at, state.policy.time_zone);
  const [day, sequence] = today > state.day ? [today, 1] : [state.day, state.sequence + 1];
  return { day, sequence, number: displayNumber(state.policy.prefix, sequence) };
}
