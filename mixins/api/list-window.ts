// The instants a dated list covers (slots and appointments by start, payments by creation):
// date_from and date_to, each a whole UTC day (date_to up to its end) or an instant; one of
// them alone spans as long as the list's default window, which covers both when neither is
// given. Such a list reads every row of its window (mixins/db/instant-ranges.ts), so a
// window is at most MAX_LIST_DAYS long.
import { errors } from "./errors.ts";

const DAY_MS = 86_400_000;
export const MAX_LIST_DAYS = 92;

export interface Window {
  from: Date;
  until: Date;
}

/** date_from / date_to: a whole UTC day ("YYYY-MM-DD"; as date_to, up to its end) or an instant. */
export function dateBound(value: string, end: boolean): Date {
  if (value.length > 10) return new Date(value);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS : 0));
}

const startOfDay = (at: number) => at - (at % DAY_MS);

/** Today (UTC) and the `days` after it, at most MAX_LIST_DAYS in all. */
export const daysAhead = (now: number, days: number): Window => {
  const from = startOfDay(now);
  return { from: new Date(from), until: new Date(from + Math.min(days + 1, MAX_LIST_DAYS) * DAY_MS) };
};

/** The `days` up to the end of today (UTC), today included. */
export const daysBack = (now: number, days: number): Window => {
  const until = startOfDay(now) + DAY_MS;
  return { from: new Date(until - Math.min(days, MAX_LIST_DAYS) * DAY_MS), until: new Date(until) };
};

export function listWindow(query: { date_from?: string; date_to?: string }, byDefault: Window): Window {
  const span = byDefault.until.getTime() - byDefault.from.getTime();
  const given = { from: query.date_from ? dateBound(query.date_from, false) : null, until: query.date_to ? dateBound(query.date_to, true) : null };
  const from = given.from ?? (given.until ? new Date(given.until.getTime() - span) : byDefault.from);
  const until = given.until ?? (given.from ? new Date(from.getTime() + span) : byDefault.until);
  if (until <= from) throw errors.validation([{ path: "query.date_to", message: "must be after date_from" }]);
  if (until.getTime() - from.getTime() > MAX_LIST_DAYS * DAY_MS) throw errors.validation([{ path: "query.date_to", message: `must be at most ${MAX_LIST_DAYS} days after date_from` }]);
  return { from, until };
}
