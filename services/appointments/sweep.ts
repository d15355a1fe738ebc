// The sweep, every few minutes: an appointment not checked in a grace period after its
// start becomes a no-show (its place is history), and the reminders due before the next
// two sweeps are made sure of, so a reminder that booking could not schedule (the
// scheduler away) still goes out; scheduling one twice is harmless (reminders.ts, its key).
import { settleDeposit } from "./deposits.ts";
import { forgetOpenRow, openRowsUntil } from "./open-appointments.ts";
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

/**
 * Marks the no-shows, gives back the places of appointments whose slot started unpaid,
 * then schedules the reminders of each upcoming appointment: of the appointments open up
 * to the window's end (open-appointments.ts), whose rows are forgotten once they are no
 * longer open there.
 */
export async function sweep(store: AppointmentsStore, window: SweepWindow, { remind, ended }: SweepEffects) {
  const counts = { no_shows: 0, unpaid_released: 0, reminded: 0 };
  const now = new Date(window.now);
  for (const { rowId, appointment: doc, open } of await openRowsUntil(store, window.startsUntil)) {
    if (!open || !doc) {
      await forgetOpenRow(store, rowId);
    } else if (doc.status === "booked" && doc.starts_at < window.lateBefore) {
      await store.appointments.updateOne({ _id: doc._id }, { $set: { status: "no_show", updated_at: now } });
      await ended(doc, "no_show");
      await forgetOpenRow(store, rowId);
      counts.no_shows++;
    } else if (doc.status === "awaiting_payment" && doc.starts_at < now) {
      if (!(await settleDeposit(store, doc, false, now))) continue; // paid or changed meanwhile: the next sweep sees
      await ended(doc, "cancelled");
      await forgetOpenRow(store, rowId);
      counts.unpaid_released++;
    } else if (doc.status === "booked" && doc.starts_at > now) {
      await remind(doc);
      counts.reminded++;
    }
  }
  return counts;
}
