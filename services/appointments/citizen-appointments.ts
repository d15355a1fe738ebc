// A citizen's appointments, for "my appointments": a row per appointment under the
// citizen's prefix, `<length>:<user>:<appointment id>` in `citizen_appointments`, written
// once when it is booked, before the appointment itself (mixins/db/owner-rows.ts). The list
// reads that range, then each appointment by _id, as it is now: the citizen's own, whatever
// the office's history. Filtered on user_id, the embedded server scanned every appointment
// ever booked.
import { noteOwned, ownedDocuments } from "../../mixins/db/owner-rows.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

/** Notes that the citizen holds this appointment; a second note of it changes nothing. */
export const noteCitizenAppointment = (store: AppointmentsStore, userId: string, appointmentId: string): Promise<void> =>
  noteOwned(store.citizenAppointments, userId, appointmentId);

/** Every appointment the citizen holds or held, as it is now, in no particular order. */
export const appointmentsOfCitizen = (store: AppointmentsStore, userId: string): Promise<AppointmentDoc[]> =>
  ownedDocuments(store.citizenAppointments, store.appointments, userId, (doc) => doc.user_id === userId);
