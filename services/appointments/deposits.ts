// Appointments of a service that asks a deposit (the business service's `deposit_xof`): the
// booking holds its place as `awaiting_payment`; the payment's success makes it `booked`,
// its failure or expiry cancels it and gives the place back, and so does its slot starting
// unpaid (the sweep). Each is a change claimed as a move or a cancellation is
// (booking.ts, claimChange), so it happens once however often the payment event comes.
import { claimChange, releasePlace } from "./booking.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

export function bookingStatus(service: { deposit_xof?: number } | null): "booked" | "awaiting_payment" {
  return service?.deposit_xof ? "awaiting_payment" : "booked";
}

/** Answers whether the appointment changed: it is confirmed when paid, else cancelled and its place given back. */
export async function settleDeposit(store: AppointmentsStore, appointment: AppointmentDoc | null, paid: boolean, now: Date): Promise<boolean> {
  if (appointment?.status !== "awaiting_payment") return false;
  try {
    await claimChange(store, appointment);
  } catch {
    return false; // another change of this appointment went first
  }
  const changes = (appointment.changes ?? 0) + 1;
  await store.appointments.updateOne({ _id: appointment._id }, { $set: { status: paid ? "booked" : "cancelled", changes, updated_at: now } });
  if (!paid) await releasePlace(store, appointment);
  return true;
}

/** What the payments service needs to take an appointment's deposit. */
export function depositView(appointment: AppointmentDoc) {
  const { _id, user_id, service_id, organization_id, status, starts_at } = appointment;
  return { id: _id, user_id, service_id, organization_id, status, starts_at: starts_at.toISOString() };
}
