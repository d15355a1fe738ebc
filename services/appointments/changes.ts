// Moving and cancelling an appointment. Only a booked one changes (a checked-in, cancelled
// or missed one is history). Each change claims the appointment's next change first
// (booking.ts, claimChange), so that of two changes made from one state only one goes
// through; a move takes its new place before it gives the old one back, so a citizen never
// ends up with neither.
import { errors } from "../../mixins/api/errors.ts";
import { claimChange, placeInSlot, releasePlace, userSteps } from "./booking.ts";
import { noteOpenAppointment } from "./open-appointments.ts";
import { forgetOrganizationRow, noteOrganizationAppointment } from "./organization-appointments.ts";
import type { AppointmentDoc, AppointmentsStore, AppointmentStatus, SlotDoc } from "./store.ts";

export function mustBeBooked(appointment: { status: AppointmentStatus }): void {
  if (appointment.status !== "booked") throw errors.appointmentNotBooked(appointment.status);
}

/**
 * Moves the appointment to another slot of its service. Answers it as it is now, and
 * whether it moved: asking for the slot it holds changes nothing.
 */
export async function moveAppointment(store: AppointmentsStore, appointment: AppointmentDoc, slot: SlotDoc, now: Date): Promise<{ appointment: AppointmentDoc; moved: boolean }> {
  if (slot.service_id !== appointment.service_id) throw errors.validation([{ path: "body.slot_id", message: "must be a slot of the same service" }]);
  if (slot._id === appointment.slot_id) return { appointment, moved: false };
  const giveBack = await claimChange(store, appointment);
  const { user_id, starts_at, ends_at } = appointment;
  // Should the new slot be gone, the steps of time the appointment held already stay held…
  const seat_id = await placeInSlot(store, slot, user_id, appointment._id, userSteps(user_id, starts_at, ends_at)).catch(async (err) => {
    await giveBack();
    throw err;
  });
  const moved = { slot_id: slot._id, seat_id, branch_id: slot.branch_id, starts_at: slot.starts_at, ends_at: slot.ends_at, changes: (appointment.changes ?? 0) + 1, updated_at: now };
  // Before the move: the sweep and the organisation's list never miss it.
  await Promise.all([noteOpenAppointment(store, slot.starts_at, appointment._id), noteOrganizationAppointment(store, appointment, slot.starts_at)]);
  await store.appointments.updateOne({ _id: appointment._id }, { $set: moved });
  // …and once it moved, the old place goes back but for the steps the new one shares with it.
  await releasePlace(store, appointment, userSteps(user_id, slot.starts_at, slot.ends_at));
  await forgetOrganizationRow(store, appointment, starts_at);
  return { appointment: { ...appointment, ...moved }, moved: true };
}

export async function cancelAppointment(store: AppointmentsStore, appointment: AppointmentDoc, now: Date): Promise<void> {
  await claimChange(store, appointment);
  await store.appointments.updateOne({ _id: appointment._id }, { $set: { status: "cancelled", changes: (appointment.changes ?? 0) + 1, updated_at: now } });
  await releasePlace(store, appointment);
}
