// An organisation's appointments by start, for staff's list (GET /appointments): a row per
// appointment and start, `<length>:<organization>:<start ISO>#<appointment id>` in
// `organization_appointments` holding its service and citizen (mixins/db/dated-rows.ts),
// written when the appointment is booked and when it moves, each time before the
// appointment itself; the row at the old start goes once the move is made. Filtered on
// organization_id, the embedded server scanned every appointment ever booked.
import { datedRowId, datedRowsBetween, documentsOfRows, noteDated } from "../../mixins/db/dated-rows.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

type Placed = Pick<AppointmentDoc, "_id" | "organization_id" | "service_id" | "user_id">;

/** A row as a list sees it: which appointment (`_id`) starts when, for which service and citizen. */
export interface OrganizationRow {
  _id: string;
  starts_at: Date;
  service_id: string;
  user_id: string;
}

export const organizationRowId = (organizationId: string, startsAt: Date, appointmentId: string) => datedRowId(organizationId, startsAt, appointmentId);

/** Notes that the appointment starts then; a second note of it changes nothing. */
export async function noteOrganizationAppointment(store: AppointmentsStore, appointment: Placed, startsAt: Date): Promise<void> {
  const { service_id, user_id } = appointment;
  await noteDated(store.organizationAppointments, appointment.organization_id, startsAt, appointment._id, { service_id, user_id });
}

/** The row of a start the appointment has left. */
export async function forgetOrganizationRow(store: AppointmentsStore, appointment: Placed, startsAt: Date): Promise<void> {
  await store.organizationAppointments.deleteOne({ _id: organizationRowId(appointment.organization_id, startsAt, appointment._id) });
}

/** The rows of the organisation's appointments that start in [from, until). */
export async function organizationRowsBetween(store: AppointmentsStore, organizationId: string, from: Date, until: Date): Promise<OrganizationRow[]> {
  const rows = await datedRowsBetween(store.organizationAppointments, organizationId, from, until);
  return rows.map(({ _id, at, service_id, user_id }) => ({ _id, starts_at: at, service_id, user_id }));
}

/** The rows' appointments as they are now, in the rows' order; one that has moved from its row's start (or is not there) is left out. */
export async function appointmentsOfRows(store: AppointmentsStore, organizationId: string, rows: readonly OrganizationRow[]): Promise<AppointmentDoc[]> {
  return documentsOfRows(store.appointments, rows, (doc, row) => doc.organization_id === organizationId && doc.starts_at.getTime() === row.starts_at.getTime());
}
