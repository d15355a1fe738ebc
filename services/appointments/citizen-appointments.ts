// A citizen's appointments, for "my appointments": a row per appointment under the
// citizen's prefix (mixins/db/owner-prefix.ts), `<length>:<user>:<appointment id>` in
// `citizen_appointments`, written once when it is booked, before the appointment itself (a
// booking that fails in between leaves a row that points at nothing, and is skipped). The
// list reads that range, then each appointment by _id, as it is now: the citizen's own,
// whatever the office's history. Filtered on user_id, the embedded server scanned every
// appointment ever booked.
import type { Model } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { ofOwner, ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

/** Appointments read at once for one list. */
const READS_IN_FLIGHT = 8;

/** Notes that the citizen holds this appointment; a second note of it changes nothing. */
export async function noteCitizenAppointment(store: AppointmentsStore, userId: string, appointmentId: string): Promise<void> {
  await claimOnce(store.citizenAppointments, `${ownerPrefix(userId)}${appointmentId}`);
}

/** Every appointment the citizen holds or held, as it is now, in no particular order. */
export async function appointmentsOfCitizen(store: AppointmentsStore, userId: string): Promise<AppointmentDoc[]> {
  const prefix = ownerPrefix(userId);
  const rows = await store.citizenAppointments.find(ofOwner(userId)).lean<Array<{ _id: string }>>();
  const found = await mapLimited(rows, READS_IN_FLIGHT, (row) => store.appointments.findById(row._id.slice(prefix.length)).lean<AppointmentDoc>());
  return found.filter((doc): doc is AppointmentDoc => doc !== null && doc.user_id === userId);
}
