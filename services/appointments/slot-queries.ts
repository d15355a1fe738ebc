// Which stored slots a listing reads. A listing's date bounds are whole UTC days or
// instants (date_to includes its day); a day's available slots are those of the branch's
// local day still ahead, so a citizen is never offered a slot that has started.
import { DateTime } from "luxon";
import { errors } from "../../mixins/api/errors.ts";
import { definedOnly } from "../../mixins/api/pagination.ts";

const DAY_MS = 86_400_000;

export interface SlotListing {
  service_id?: string;
  branch_id?: string;
  date_from?: string;
  date_to?: string;
}

/** date_from / date_to: a whole UTC day ("YYYY-MM-DD"; as date_to, up to its end) or an instant. */
export function dateBound(value: string, end: boolean): Date {
  if (value.length > 10) return new Date(value);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS : 0));
}

/** The filter of a slot listing: only what it was given filters. */
export function listingFilter({ service_id, branch_id, date_from, date_to }: SlotListing): Record<string, unknown> {
  const starts = definedOnly({ $gte: date_from && dateBound(date_from, false), $lt: date_to && dateBound(date_to, true) });
  return { ...definedOnly({ service_id, branch_id }), ...(Object.keys(starts).length > 0 && { starts_at: starts }) };
}

/** The starts a day's availability covers: the local day `date` in `timeZone`, from `now` on. */
export function availabilityWindow(date: string, timeZone: string, now: number): { from: Date; until: Date } {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid) throw errors.validation([{ path: "query.date", message: "is not a calendar date" }]);
  return { from: new Date(Math.max(day.toMillis(), now)), until: day.plus({ days: 1 }).toJSDate() };
}
