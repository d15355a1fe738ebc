// Appointment reminders: one scheduled call of `appointments.remind` per configured offset
// (APPOINTMENT_REMINDERS_MINUTES, 24 h and 1 h by default), keyed by appointment, start
// and offset. Booking, rescheduling and the sweep may all ask for the same reminder: the
// key makes it one. A reminder that finds the appointment cancelled, checked in or moved
// sends nothing, so nothing needs unscheduling.
import type { Context, LoggerInstance } from "moleculer";
import { DateTime } from "luxon";
import type { AppointmentStatus } from "./store.ts";

export interface Remindable {
  _id: string;
  starts_at: Date;
}

export const reminderKey = (appointmentId: string, startsAt: Date, minutesBefore: number) =>
  `reminder:${appointmentId}:${startsAt.toISOString()}:${minutesBefore}`;

/** The reminders of one appointment still ahead at `now` and due before `until`. */
export function remindersDue(doc: Remindable, offsets: readonly number[], now: number, until = Infinity) {
  return offsets
    .map((minutes_before) => ({ minutes_before, at: doc.starts_at.getTime() - minutes_before * 60_000 }))
    .filter(({ at }) => at > now && at <= until);
}

export async function scheduleReminders(ctx: Context, doc: Remindable, offsets: readonly number[], now = Date.now(), until = Infinity) {
  for (const { minutes_before, at } of remindersDue(doc, offsets, now, until)) {
    await ctx.call("scheduler.schedule", {
      name: "call:appointments.remind",
      at: new Date(at).toISOString(),
      key: reminderKey(doc._id, doc.starts_at, minutes_before),
      data: { action: "appointments.remind", params: { appointment_id: doc._id, starts_at: doc.starts_at.toISOString(), minutes_before } },
    });
  }
}

/** Booking stands even if the scheduler is away: the sweep schedules what is missing (sweep.ts). */
export async function remindLater(ctx: Context, logger: LoggerInstance, doc: Remindable, offsets: readonly number[]) {
  try {
    await scheduleReminders(ctx, doc, offsets);
  } catch (err) {
    logger.warn(`reminders of appointment ${doc._id} not scheduled yet (the sweep will): ${(err as Error).message}`);
  }
}

/** A reminder is sent only for an appointment still booked for the start it was planned for. */
export function stillDue<A extends { status: AppointmentStatus; starts_at: Date }>(appointment: A | null, plannedStart: string): appointment is A {
  return appointment !== null && appointment.status === "booked" && appointment.starts_at.getTime() === Date.parse(plannedStart);
}

/** The placeholders of the `appointment.reminder` template, in the branch's time zone. */
export function reminderData(startsAt: Date, timeZone: string, names: { service: string; branch: string }, minutesBefore: number) {
  const local = DateTime.fromJSDate(startsAt, { zone: timeZone });
  return { ...names, time: local.toFormat("HH:mm"), date: local.toISODate()!, minutes_before: minutesBefore };
}
