// A day's available slots: those of the branch's local day still ahead, so a citizen is
// never offered a slot that has started.
import { DateTime } from "luxon";
import { errors } from "../../mixins/api/errors.ts";

/** The starts a day's availability covers: the local day `date` in `timeZone`, from `now` on. */
export function availabilityWindow(date: string, timeZone: string, now: number): { from: Date; until: Date } {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid) throw errors.validation([{ path: "query.date", message: "is not a calendar date" }]);
  return { from: new Date(Math.max(day.toMillis(), now)), until: day.plus({ days: 1 }).toJSDate() };
}
