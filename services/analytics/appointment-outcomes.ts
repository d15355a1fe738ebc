// Appointments beyond their booking: how each ended — cancelled, checked in or missed —
// filed once, by an insert under the appointment's id, in the collection of the UTC day it
// ended (`analytics_appointments_day_YYYY_MM_DD`), from the `appointments.ended` event. The
// appointments service says an appointment's end once, as its status leaves booked (or
// awaiting payment), so the event heard twice is filed once. A period's figures are read
// from its days' bookings (bookings.ts) and ends alone.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { APPOINTMENT_OUTCOMES, type EventPayload } from "../events.ts";
import { dayModel } from "./day-collections.ts";
import { dayOf } from "./rollup.ts";

type Outcome = (typeof APPOINTMENT_OUTCOMES)[number];

export interface AppointmentEndDoc {
  _id: string; // the appointment id
  organization_id: string;
  branch_id: string | null;
  service_id: string;
  outcome: Outcome;
  at: Date;
}

const endSchema = new Schema<AppointmentEndDoc>(
  {
    _id: String,
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    service_id: { type: String, required: true },
    outcome: { type: String, enum: APPOINTMENT_OUTCOMES, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

const endsOfDay = (db: Connection, day: string) => dayModel(db, "analytics_appointments_day", endSchema, day);

/** Files how an appointment ended, once; a repeated event changes nothing. */
export async function recordAppointmentEnd(db: Connection, ended: EventPayload<"appointments.ended">): Promise<void> {
  const at = Date.parse(ended.at);
  const { organization_id, branch_id, service_id, outcome } = ended;
  await claimOnce(endsOfDay(db, dayOf(at)), ended.appointment_id, { organization_id, branch_id, service_id, outcome, at: new Date(at) });
}

/** A day's appointment ends matching a filter (a scan of that day's ends only). */
export const appointmentEndsOn = (db: Connection, day: string, filter: Record<string, string>) =>
  endsOfDay(db, day).find(filter, { outcome: 1 }).lean<Pick<AppointmentEndDoc, "outcome">[]>();

/** Appointments booked and ended in a period; the no-show rate over those that came due (checked in or missed). */
export function appointmentFigures(booked: number, ends: readonly Pick<AppointmentEndDoc, "outcome">[]) {
  const counts = Object.fromEntries(APPOINTMENT_OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const end of ends) counts[end.outcome]++;
  const due = counts.checked_in + counts.no_show;
  return { booked, ...counts, no_show_rate: due ? counts.no_show / due : null };
}
