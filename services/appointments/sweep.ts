// The sweep, every few minutes: an appointment not checked in a grace period after its
// start becomes a no-show (its place is history), and the reminders due before the next
// two sweeps are made sure of, so a reminder that booking could not schedule (the
// scheduler away) still goes out; scheduling one twice is harmless (reminders.ts, its key).
import { settleDeposit } from "./deposits.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

export interface SweepSettings {
  noShowGraceMinutes: number;
  /** How often the sweep runs. */
  everyMinutes: number;
  /** The reminders' offsets before a start (APPOINTMENT_REMINDERS_MINUTES). */
  remindersMinutes: readonly number[];
}

export interface SweepWindow {
  now: number;
  /** Booked appointments that started before this are no-shows. */
  lateBefore: Date;
  /** Reminders due up to this (epoch ms) are scheduled now. */
  remindUntil: number;
  /** The booked appointments starting up to this may have such a reminder. */
  startsUntil: Date;
}

export function sweepWindow(now: number, settings: SweepSettings): SweepWindow {
  const remindUntil = now + 2 * settings.everyMinutes * 60_000;
  const longest = Math.max(0, ...settings.remindersMinutes) * 60_000;
  return { now, lateBefore: new Date(now - settings.noShowGraceMinutes * 60_000), remindUntil, startsUntil: new Date(remindUntil + longest) };
}

/** What the sweep has the service do: schedule an upcoming appointment's reminders, announce how one ended. */
export interface SweepEffects {
  remind: (appointment: AppointmentDoc) => Promise<void>;
  ended: (appointment: AppointmentDoc, outcome: "cancelled" | "no_show") => Promise<void>;
}

/** Marks the no-shows, gives back the places of appointments whose slot started unpaid, then schedules the reminders of each upcoming appointment. */
export async function sweep(store: AppointmentsStore, window: SweepWindow, { remind, ended }: SweepEffects) {
  const late = await store.appointments.find({ status: "booked", starts_at: { $lt: window.lateBefore } }).lean<AppointmentDoc[]>();
  for (const doc of late) {
    await store.appointments.updateOne({ _id: doc._id }, { $set: { status: "no_show", updated_at: new Date(window.now) } });
    await ended(doc, "no_show");
  }
  const unpaid = await store.appointments.find({ status: "awaiting_payment", starts_at: { $lt: new Date(window.now) } }).lean<AppointmentDoc[]>();
  for (const doc of unpaid) if (await settleDeposit(store, doc, false, new Date(window.now))) await ended(doc, "cancelled");
  const upcoming = await store.appointments.find({ status: "booked", starts_at: { $gt: new Date(window.now), $lte: window.startsUntil } }).lean<AppointmentDoc[]>();
  for (const doc of upcoming) await remind(doc);
  return { no_shows: late.length, unpaid_released: unpaid.length, reminded: upcoming.length };
}
