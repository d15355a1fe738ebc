// The starts a list of slots or of an organisation's appointments covers: date_from and
// date_to (a whole UTC day, date_to up to its end, or an instant); without them, from the
// start of today (UTC) over the days ahead that slots are kept for. A list reads every slot
// or row of its window (slots/key.ts, organization-appointments.ts), so a window is at
// most MAX_LIST_DAYS long.
import { errors } from "../../mixins/api/errors.ts";
import { dateBound } from "./slot-queries.ts";

const DAY_MS = 86_400_000;
export const MAX_LIST_DAYS = 92;

export function listWindow(query: { date_from?: string; date_to?: string }, now: number, daysAhead: number): { from: Date; until: Date } {
  const span = Math.min(daysAhead + 1, MAX_LIST_DAYS) * DAY_MS;
  const today = now - (now % DAY_MS);
  const given = { from: query.date_from ? dateBound(query.date_from, false) : null, until: query.date_to ? dateBound(query.date_to, true) : null };
  const from = given.from ?? (given.until ? new Date(given.until.getTime() - span) : new Date(today));
  const until = given.until ?? new Date(from.getTime() + span);
  if (until <= from) throw errors.validation([{ path: "query.date_to", message: "must be after date_from" }]);
  if (until.getTime() - from.getTime() > MAX_LIST_DAYS * DAY_MS) throw errors.validation([{ path: "query.date_to", message: `must be at most ${MAX_LIST_DAYS} days after date_from` }]);
  return { from, until };
}
