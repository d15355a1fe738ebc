// Appointments beyond their booking: how each ended — cancelled, checked in or missed —
// filed once, by an insert under the appointment's id, in the collection of the UTC day
// it ended (`analytics_appointments_day_YYYY_MM_DD`), from the appointments service's
// announcement (services/appointments/announcements.ts): made once, as the status leaves
// booked or awaiting payment, and handed again until analytics has it, so filed once
// however often it comes. A day's figures are read from that day's bookings
// (bookings.ts) and ends alone.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { APPOINTMENT_OUTCOMES, type Announced } from "../events.ts";
import { bookingsOn } from "./bookings.ts";
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

/** Files how an appointment ended, once; an announcement handed again changes nothing. */
export async function recordAppointmentEnd(db: Connection, ended: Announced<"ended">): Promise<void> {
  const at = Date.parse(ended.at);
  const { organization_id, branch_id, service_id, outcome } = ended;
  await claimOnce(endsOfDay(db, dayOf(at)), ended.appointment_id, { organization_id, branch_id, service_id, outcome, at: new Date(at) });
}

/** Appointments booked and ended: counts that add up over days and scopes. */
export type AppointmentCounts = { booked: number } & Record<Outcome, number>;

export const emptyAppointments = (): AppointmentCounts => ({ booked: 0, cancelled: 0, checked_in: 0, no_show: 0 });

export function mergeAppointments(a: AppointmentCounts, b: AppointmentCounts): AppointmentCounts {
  return { booked: a.booked + b.booked, cancelled: a.cancelled + b.cancelled, checked_in: a.checked_in + b.checked_in, no_show: a.no_show + b.no_show };
}

/** A day's bookings and ends matching a filter (a scan of that day's bookings and ends only). */
export async function appointmentsOn(db: Connection, day: string, filter: Record<string, string>): Promise<AppointmentCounts> {
  const [bookings, ends] = await Promise.all([bookingsOn(db, day, filter), endsOfDay(db, day).find(filter, { outcome: 1 }).lean<Pick<AppointmentEndDoc, "outcome">[]>()]);
  const counts = { ...emptyAppointments(), booked: bookings.length };
  for (const end of ends) counts[end.outcome]++;
  return counts;
}

/** As the API shows them: with the no-show rate over the appointments that came due (checked in or missed). */
export function appointmentSummary(c: AppointmentCounts) {
  const due = c.checked_in + c.no_show;
  return { ...c, no_show_rate: due ? c.no_show / due : null };
}
