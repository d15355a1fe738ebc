// Which closed days are packed for the CSV export (day-packs.ts): one manifest per day in
// `ticket_export_packs`, `_id` the day. The projector deletes a closed day's manifest when
// it writes to that day (a ticket that ended days late), so the export never reads packs
// that miss a write; kept apart from day-packs.ts so the views' writer needs nothing else.
import type { Connection } from "mongoose";

export const DAY_PACKS = "ticket_export_packs";
const DAY_MS = 24 * 3600_000;
/** Days this many days before today (UTC) are closed: no office's local day still runs. */
const CLOSED_AFTER_DAYS = 2;

export interface DayPackManifest {
  _id: string; // the day
  state: "packing" | "packed";
  /** This packing's own: a packing the projector interrupted (by deleting it) cannot finish. */
  token: string;
  started_at: Date;
  packed_at?: Date;
  /** Each organisation's number of packs. */
  packs?: Record<string, number>;
  rows?: number;
}

export const dayPackManifests = (db: Connection) => db.collection<DayPackManifest>(DAY_PACKS);

/** Whether `day` (YYYY-MM-DD) is closed at `now`, so its tickets may be packed. */
export function packableDay(day: string, now: number): boolean {
  return day <= new Date(now - CLOSED_AFTER_DAYS * DAY_MS).toISOString().slice(0, 10);
}

/** Forgets the packs of the closed days among `days`, which the projector has just written to. */
export async function unpackDays(db: Connection, days: string[], now: number): Promise<void> {
  const closed = days.filter((day) => packableDay(day, now));
  // By _id each: the embedded server scans for an $in.
  await Promise.all(closed.map((day) => dayPackManifests(db).deleteOne({ _id: day })));
}
