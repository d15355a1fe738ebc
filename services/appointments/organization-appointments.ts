// An organisation's appointments by start, for staff's list (GET /appointments): a row per
// appointment and start, `<length>:<organization>:<start ISO>#<appointment id>` in
// `organization_appointments` (mixins/db/owner-prefix.ts), holding its service and
// citizen, written when the appointment is booked and when it moves, each time before the
// appointment itself; the row at the old start goes once the move is made. A list reads the
// rows of its window of starts, day by day (mixins/db/instant-ranges.ts), then appointments by _id: what
// the organisation has in that window, whatever its history. Filtered on organization_id,
// the embedded server scanned every appointment ever booked.
import { claimOnce } from "../../mixins/db/claim.ts";
import { dailyKeyRanges } from "../../mixins/db/instant-ranges.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import type { AppointmentDoc, AppointmentsStore, OrganizationAppointmentDoc } from "./store.ts";

/** Appointments read at once for one list. */
const READS_IN_FLIGHT = 8;

type Placed = Pick<AppointmentDoc, "_id" | "organization_id" | "service_id" | "user_id">;

/** A row as a list sees it: which appointment starts when, for which service and citizen. */
export interface OrganizationRow {
  /** The appointment's id. */
  _id: string;
  starts_at: Date;
  service_id: string;
  user_id: string;
}

export const organizationRowId = (organizationId: string, startsAt: Date, appointmentId: string) => `${ownerPrefix(organizationId)}${startsAt.toISOString()}#${appointmentId}`;

/** Notes that the appointment starts then; a second note of it changes nothing. */
export async function noteOrganizationAppointment(store: AppointmentsStore, appointment: Placed, startsAt: Date): Promise<void> {
  const { service_id, user_id } = appointment;
  await claimOnce(store.organizationAppointments, organizationRowId(appointment.organization_id, startsAt, appointment._id), { service_id, user_id });
}

/** The row of a start the appointment has left. */
export async function forgetOrganizationRow(store: AppointmentsStore, appointment: Placed, startsAt: Date): Promise<void> {
  await store.organizationAppointments.deleteOne({ _id: organizationRowId(appointment.organization_id, startsAt, appointment._id) });
}

/** The rows of the organisation's appointments that start in [from, until). */
export async function organizationRowsBetween(store: AppointmentsStore, organizationId: string, from: Date, until: Date): Promise<OrganizationRow[]> {
  const prefix = ownerPrefix(organizationId);
  // By day: a range cut at months would read every row of its month, the days before the window's too.
  const ranges = dailyKeyRanges((at) => `${prefix}${at.toISOString()}`, from, until);
  const found = await mapLimited(ranges, READS_IN_FLIGHT, (range) => store.organizationAppointments.find(range).lean<OrganizationAppointmentDoc[]>());
  return found.flat().map(({ _id, service_id, user_id }) => {
    const key = _id.slice(prefix.length);
    const hash = key.indexOf("#");
    return { _id: key.slice(hash + 1), starts_at: new Date(key.slice(0, hash)), service_id, user_id };
  });
}

/** The rows' appointments as they are now, in the rows' order; one that has moved from its row's start (or is not there) is left out. */
export async function appointmentsOfRows(store: AppointmentsStore, organizationId: string, rows: readonly OrganizationRow[]): Promise<AppointmentDoc[]> {
  const found = await mapLimited(rows, READS_IN_FLIGHT, async (row) => {
    const doc = await store.appointments.findById(row._id).lean<AppointmentDoc>();
    return doc && doc.organization_id === organizationId && doc.starts_at.getTime() === row.starts_at.getTime() ? doc : null;
  });
  return found.filter((doc): doc is AppointmentDoc => doc !== null);
}
