// The appointments the sweep may still have to act on (sweep.ts), by start: a row
// `<start, ISO 8601 UTC>#<appointment id>` in `open_appointments`, written when the
// appointment is booked and again when it moves, each time before the appointment itself,
// so the sweep never misses one. The sweep reads the rows that start up to the end of its
// window, then each appointment by _id, acts on what it is now, and deletes the rows of
// those no longer open or moved since: a row does not outlive its appointment's window, so
// the sweep reads what is open now, not every appointment ever booked, as a filter on
// status and starts_at did (the embedded server scans for it, every 5 minutes).
import { claimOnce } from "../../mixins/db/claim.ts";
import { findEachById } from "../../mixins/db/find-each.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

/** What the sweep still acts on: the booked (no-show, reminders) and the unpaid (released when their slot starts). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["booked", "awaiting_payment"]);

export const openRowId = (startsAt: Date, appointmentId: string) => `${startsAt.toISOString()}#${appointmentId}`;

/** Notes that the appointment starts then; a second note of it changes nothing. */
export async function noteOpenAppointment(store: AppointmentsStore, startsAt: Date, appointmentId: string): Promise<void> {
  await claimOnce(store.openAppointments, openRowId(startsAt, appointmentId));
}

/** The rows that start up to `until` (included), each with its appointment as it is now (null: none), and whether it is still open there. */
export async function openRowsUntil(store: AppointmentsStore, until: Date): Promise<Array<{ rowId: string; appointment: AppointmentDoc | null; open: boolean }>> {
  // "$" sorts just after "#": every row of the instant `until` too. The rows are the open
  // appointments' only, so this read is bounded by what is open, whatever the filter.
  const rows = await store.openAppointments.find({ _id: { $lt: `${until.toISOString()}$` } }).lean<Array<{ _id: string }>>();
  const appointments = await findEachById(store.appointments, rows.map(({ _id }) => _id.slice(_id.indexOf("#") + 1)));
  return rows.map(({ _id: rowId }, i) => {
    const appointment = appointments[i] ?? null;
    const open = appointment !== null && OPEN_STATUSES.has(appointment.status) && openRowId(appointment.starts_at, appointment._id) === rowId;
    return { rowId, appointment, open };
  });
}

export async function forgetOpenRow(store: AppointmentsStore, rowId: string): Promise<void> {
  await store.openAppointments.deleteOne({ _id: rowId });
}
