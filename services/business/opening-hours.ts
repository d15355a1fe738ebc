// Opening hours per weekday, holidays and time zones: shared by branches (their sites)
// and services (which may keep shorter hours than their branch).
import { z } from "zod";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h)");

const Interval = z
  .object({ open: ClockTime, close: ClockTime })
  .strict()
  .refine((i) => i.open < i.close, { message: "open must be before close", path: ["close"] });

const DayHours = z
  .array(Interval)
  .max(4)
  .refine((day) => [...day].sort((a, b) => a.open.localeCompare(b.open)).every((i, n, all) => n === 0 || all[n - 1]!.close <= i.open), {
    message: "intervals must not overlap",
  });

export const OpeningHours = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours.default([])])) as Record<Weekday, z.ZodDefault<typeof DayHours>>).strict();
export type OpeningHours = z.output<typeof OpeningHours>;

const NINE_TO_FIVE = [{ open: "09:00", close: "17:00" }];
/** Monday to Friday, 9:00 to 17:00: what an office keeps unless told otherwise. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  monday: NINE_TO_FIVE,
  tuesday: NINE_TO_FIVE,
  wednesday: NINE_TO_FIVE,
  thursday: NINE_TO_FIVE,
  friday: NINE_TO_FIVE,
  saturday: [],
  sunday: [],
};

const isCalendarDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
export const Holidays = z
  .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").refine(isCalendarDate, "is not a calendar date"))
  .max(366)
  .transform((days) => [...new Set(days)].sort());

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export const DEFAULT_TIME_ZONE = "Africa/Dakar";
export const TimeZone = z.string().max(64).refine(isTimeZone, "is not an IANA time zone (e.g. Africa/Dakar)");
