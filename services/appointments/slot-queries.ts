// The instants a listing's dates stand for: whole UTC days or instants (date_to includes
// its day); a day's available slots are those of the branch's local day still ahead, so a
// citizen is never offered a slot that has started.
import { DateTime } from "luxon";
import { errors } from "../../mixins/api/errors.ts";

const DAY_MS = 86_400_000;

/** date_from / date_to: a whole UTC day ("YYYY-MM-DD"; as date_to, up to its end) or an instant. */
export function dateBound(value: string, end: boolean): Date {
  if (value.length > 10) return new Date(value);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS : 0));
}

/** The starts a day's availability covers: the local day `date` in `timeZone`, from `now` on. */
export function availabilityWindow(date: string, timeZone: string, now: number): { from: Date; until: Date } {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid) throw errors.validation([{ path: "query.date", message: "is not a calendar date" }]);
  return { from: new Date(Math.max(day.toMillis(), now)), until: day.plus({ days: 1 }).toJSDate() };
}
