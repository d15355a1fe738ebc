// Booking: taking and giving back places. Each place is claimed by inserting a document
// under a unique _id, the one write that is atomic on MongoDB and on FerretDB alike, so a
// slot's capacity is never exceeded and a citizen never holds two appointments at one time,
// whatever the concurrency and however many nodes.
import { Types } from "mongoose";
import { errors } from "../../mixins/api/errors.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { deleteByIds } from "../../mixins/db/delete-by-ids.ts";
import { noteCitizenAppointment } from "./citizen-appointments.ts";
import { noteOpenAppointment } from "./open-appointments.ts";
import { noteOrganizationAppointment } from "./organization-appointments.ts";
import type { AppointmentDoc, AppointmentsStore, SlotDoc } from "./store.ts";

const STEP_MS = 5 * 60_000;

/** The ids of the 5-minute steps of a citizen's time an appointment covers. */
export function userSteps(userId: string, startsAt: Date, endsAt: Date): string[] {
  const ids: string[] = [];
  for (let t = Math.floor(startsAt.getTime() / STEP_MS) * STEP_MS; t < endsAt.getTime(); t += STEP_MS) ids.push(`${userId}@${new Date(t).toISOString()}`);
  return ids;
}

export const seatId = (slotId: string, n: number) => `${slotId}#${n}`;

/**
 * Claims the citizen's time, then the first free seat of the slot, for `appointmentId`.
 * Steps the same appointment already holds (a reschedule to an overlapping time) count as
 * its own. Answers the seat id; on refusal, gives back what it took.
 */
export async function claimPlace(store: AppointmentsStore, slot: SlotDoc, userId: string, appointmentId: string): Promise<string> {
  const taken: string[] = [];
  for (const step of userSteps(userId, slot.starts_at, slot.ends_at)) {
    if (await claimOnce(store.userSteps, step, { appointment_id: appointmentId })) taken.push(step);
    else if ((await store.userSteps.findById(step).lean())?.appointment_id !== appointmentId) {
      await releaseSteps(store, taken);
      throw errors.overlappingAppointment();
    }
  }
  for (let n = 0; n < slot.capacity; n++) {
    if (await claimOnce(store.seats, seatId(slot._id, n), { slot_id: slot._id, appointment_id: appointmentId })) return seatId(slot._id, n);
  }
  await releaseSteps(store, taken);
  throw errors.slotFull();
}

/**
 * `claimPlace`, in a slot that still exists once the place is held: a regeneration may
 * remove the slot meanwhile (it claims every seat first, generation.ts), and then the
 * place is given back — except the steps in `keep`, which the appointment held already —
 * and the slot answers 404.
 */
export async function placeInSlot(store: AppointmentsStore, slot: SlotDoc, userId: string, appointmentId: string, keep: string[] = []): Promise<string> {
  const gone = async () => !(await store.slots.exists({ _id: slot._id }));
  let seat: string;
  try {
    seat = await claimPlace(store, slot, userId, appointmentId);
  } catch (err) {
    if ((err as { type?: string }).type === "slot_full" && (await gone())) throw errors.notFound("Slot");
    throw err;
  }
  if (await gone()) {
    await releasePlace(store, { seat_id: seat, user_id: userId, starts_at: slot.starts_at, ends_at: slot.ends_at }, keep);
    throw errors.notFound("Slot");
  }
  return seat;
}

/**
 * Books a place in the slot for `holder` and records the appointment; a place whose record
 * could not be written is given back, so no seat is held by an appointment that is not there.
 */
export async function bookAppointment(store: AppointmentsStore, slot: SlotDoc, holder: string, bookedBy: string, id = new Types.ObjectId().toHexString(), status: "booked" | "awaiting_payment" = "booked"): Promise<AppointmentDoc> {
  const seat_id = await placeInSlot(store, slot, holder, id);
  const { _id: slot_id, capacity: _capacity, ...where } = slot;
  try {
    // Before the appointment: its citizen's list, its organisation's and the sweep never miss one that is there.
    await Promise.all([
      noteCitizenAppointment(store, holder, id),
      noteOpenAppointment(store, slot.starts_at, id),
      noteOrganizationAppointment(store, { _id: id, organization_id: slot.organization_id, service_id: slot.service_id, user_id: holder }, slot.starts_at),
    ]);
    const doc = await store.appointments.create({ _id: id, slot_id, seat_id, ...where, user_id: holder, status, ticket_id: null, booked_by: bookedBy });
    return doc.toObject() as AppointmentDoc;
  } catch (err) {
    await releasePlace(store, { seat_id, user_id: holder, starts_at: slot.starts_at, ends_at: slot.ends_at });
    throw err;
  }
}

/** Gives back a seat and the citizen's steps, except those in `keep`. */
export async function releasePlace(store: AppointmentsStore, place: { seat_id: string; user_id: string; starts_at: Date; ends_at: Date }, keep: string[] = []) {
  await store.seats.deleteOne({ _id: place.seat_id });
  const kept = new Set(keep);
  await releaseSteps(store, userSteps(place.user_id, place.starts_at, place.ends_at).filter((s) => !kept.has(s)));
}

async function releaseSteps(store: AppointmentsStore, ids: string[]) {
  await deleteByIds(store.userSteps, ids); // a citizen's steps of every appointment ever booked: never an $in
}

/**
 * Claims the next change of an appointment as read (`changes` on it): of two changes made
 * from the same state — two moves, a move and a cancellation — one claims it and the other
 * is refused with 409 `appointment_changed`. Answers a function that gives the claim back,
 * for a change that failed before it was written.
 */
export async function claimChange(store: AppointmentsStore, appointment: { _id: string; changes?: number }): Promise<() => Promise<void>> {
  const id = `${appointment._id}#${appointment.changes ?? 0}`;
  if (!(await claimOnce(store.changes, id, { at: new Date() }))) throw errors.appointmentChanged();
  return async () => void (await store.changes.deleteOne({ _id: id }));
}
