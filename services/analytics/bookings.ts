// Booking lead time: how long before their appointment citizens book it. Each booking is
// filed once, by an insert under the appointment's id, in the collection of its booking's
// UTC day (`analytics_bookings_day_YYYY_MM_DD`), from the appointments service's
// announcement of it (services/appointments/announcements.ts); a
// period's lead times are read from its days' bookings alone. Quantiles are exact
// (nearest rank over a period's bookings, at most 92 days of one scope's): lead times run
// to weeks, past the one-day range of the waits' sketch.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { Announced } from "../events.ts";
import { dayModel } from "./day-collections.ts";
import { dayOf } from "./rollup.ts";

export interface BookingDoc {
  _id: string; // the appointment id
  organization_id: string;
  branch_id: string | null;
  service_id: string;
  booked_at: Date;
  starts_at: Date;
  lead_ms: number;
}

const bookingSchema = new Schema<BookingDoc>(
  {
    _id: String,
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    service_id: { type: String, required: true },
    booked_at: { type: Date, required: true },
    starts_at: { type: Date, required: true },
    lead_ms: { type: Number, required: true },
  },
  { versionKey: false },
);

const bookingsOfDay = (db: Connection, day: string) => dayModel(db, "analytics_bookings_day", bookingSchema, day);

/** Files a booking once; an announcement handed again changes nothing. */
export async function recordBooking(db: Connection, booked: Announced<"booked">): Promise<void> {
  const bookedAt = Date.parse(booked.booked_at);
  const startsAt = Date.parse(booked.starts_at);
  const doc = { organization_id: booked.organization_id, branch_id: booked.branch_id, service_id: booked.service_id, booked_at: new Date(bookedAt), starts_at: new Date(startsAt), lead_ms: Math.max(0, startsAt - bookedAt) };
  await claimOnce(bookingsOfDay(db, dayOf(bookedAt)), booked.appointment_id, doc);
}

/** A day's bookings matching a filter (a scan of that day's bookings only). */
export const bookingsOn = (db: Connection, day: string, filter: Record<string, string>) => bookingsOfDay(db, day).find(filter, { lead_ms: 1 }).lean<Pick<BookingDoc, "lead_ms">[]>();

const HOUR_MS = 3_600_000;
const hours = (ms: number) => Math.round((ms / HOUR_MS) * 10) / 10;

/** Lead times in hours: count, mean, median and 90th percentile (nearest rank). */
export function leadTimeFigures(leads: readonly number[]) {
  if (!leads.length) return { count: 0, mean_hours: null, median_hours: null, p90_hours: null };
  const sorted = [...leads].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
  return { count: sorted.length, mean_hours: hours(sorted.reduce((a, b) => a + b, 0) / sorted.length), median_hours: hours(rank(0.5)), p90_hours: hours(rank(0.9)) };
}
