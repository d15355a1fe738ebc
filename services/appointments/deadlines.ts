// When it is too late. A place is taken (booked, or moved to) only in a slot that has not
// started; an appointment is moved or cancelled only up to its service's cut-off, so that
// the office knows by then who is coming. Times are given, not read: `now` in epoch ms.
import { errors } from "../../mixins/api/errors.ts";

/** The slot, if it has not started at `now`. */
export function notStarted<S extends { starts_at: Date }>(slot: S, now: number): S {
  if (slot.starts_at.getTime() <= now) throw errors.slotStarted();
  return slot;
}

/** Throws once `now` is within the service's cut-off of the appointment's start. */
export function mustBeBeforeCutoff(appointment: { starts_at: Date }, cutoffMinutes: number, now: number): void {
  if (now > appointment.starts_at.getTime() - cutoffMinutes * 60_000) throw errors.cutoffPassed(cutoffMinutes);
}
