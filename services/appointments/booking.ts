// Taking and giving back places. Each place is claimed by inserting a document under a
// unique _id, the one write that is atomic on MongoDB and on FerretDB alike, so a slot's
// capacity is never exceeded and a citizen never holds two appointments at one time,
// whatever the concurrency and however many nodes.
import { errors } from "../../mixins/api/errors.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { AppointmentsStore, SlotDoc } from "./store.ts";

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

/** Gives back a seat and the citizen's steps, except those in `keep`. */
export async function releasePlace(store: AppointmentsStore, place: { seat_id: string; user_id: string; starts_at: Date; ends_at: Date }, keep: string[] = []) {
  await store.seats.deleteOne({ _id: place.seat_id });
  const kept = new Set(keep);
  await releaseSteps(store, userSteps(place.user_id, place.starts_at, place.ends_at).filter((s) => !kept.has(s)));
}

async function releaseSteps(store: AppointmentsStore, ids: string[]) {
  if (ids.length > 0) await store.userSteps.deleteMany({ _id: { $in: ids } });
}
