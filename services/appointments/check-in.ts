// Checking in: a booked appointment becomes a ticket in its service's queue. Checking in
// again (a double tap, a retry after a timeout) answers the same ticket: its id is chosen
// once, by the first check-in. A citizen checking in themselves must be at the branch, when
// the branch's position is known; staff check anyone in at the desk.
import { Types } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { errors } from "../../mixins/api/errors.ts";
import { metersBetween, type Point } from "./distance.ts";
import type { AppointmentDoc, AppointmentsStore, AppointmentStatus } from "./store.ts";

export function mustBeCheckable(appointment: { status: AppointmentStatus }): void {
  if (appointment.status !== "booked" && appointment.status !== "checked_in") throw errors.appointmentNotBooked(appointment.status);
}

/** A citizen's own check-in: within `radiusMeters` of the branch, if the branch has a position. */
export function mustBeAtBranch(branch: Partial<Point> | null, where: Partial<Point> | undefined, radiusMeters: number): void {
  if (typeof branch?.latitude !== "number" || typeof branch.longitude !== "number") return;
  if (typeof where?.latitude !== "number" || typeof where.longitude !== "number") {
    throw errors.validation([{ path: "body", message: "give your latitude and longitude to check in yourself, or ask an agent" }]);
  }
  const distance = metersBetween(where as Point, branch as Point);
  if (distance > radiusMeters) throw errors.notAtBranch(distance, radiusMeters);
}

/** The id of the appointment's ticket: `fresh` on the first check-in, the first one's after. */
export async function checkInTicketId(store: AppointmentsStore, appointmentId: string, fresh = new Types.ObjectId().toHexString()): Promise<string> {
  if (await claimOnce(store.checkIns, appointmentId, { ticket_id: fresh })) return fresh;
  return (await store.checkIns.findById(appointmentId).lean())!.ticket_id;
}

/** What `queues.issueForAppointment` is asked for: the ticket of this appointment. */
export function ticketRequest(appointment: AppointmentDoc, ticket_id: string) {
  const { service_id, organization_id, _id: appointment_id, starts_at, user_id } = appointment;
  return { service_id, organization_id, ticket_id, appointment_id, appointment_at: starts_at.getTime(), user_id };
}

export async function markCheckedIn(store: AppointmentsStore, appointment: AppointmentDoc, ticketId: string, now: Date): Promise<AppointmentDoc> {
  const changes = { status: "checked_in" as const, ticket_id: ticketId, updated_at: now };
  await store.appointments.updateOne({ _id: appointment._id }, { $set: changes });
  return { ...appointment, ...changes };
}
