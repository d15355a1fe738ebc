// Appointment reminders: scheduled at booking (24 h and 1 h before), sent once through
// notifications.notify even when the call is made again after a crash, and not sent for
// an appointment cancelled or moved since. The sweep marks no-shows and schedules what
// booking could not.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { reminderKey } from "../../services/appointments/reminders.ts";
import { noteOpenAppointment } from "../../services/appointments/open-appointments.ts";
import { appointmentsStore } from "../../services/appointments/store.ts";
import { CALL_LEASE_MS, runCall } from "../../services/scheduler/jobs/call-action.ts";
import { schedulerStore } from "../../services/scheduler/job-runs.ts";
import { aCitizen } from "../support/fixtures.ts";
import { del, put } from "../support/http.ts";
import { system } from "../support/system.ts";
import { jobContext, waitFor } from "../scheduler/support.ts";
import { aBookableService, anAppointment, appointmentPath, MONDAY_2030, slotAt } from "./appointment-fixtures.ts";

/** The week's first slot: a sweep "after" it marks no other test's appointment. */
const NINE_AM = "2030-01-07T09:00:00.000Z";
const TEN_AM = "2030-01-07T10:00:00.000Z";
const ELEVEN_AM = "2030-01-07T11:00:00.000Z";

const db = () => system().node.db;
const reminderNotifications = (userId: string) => db().collection("notifications").find({ user_id: userId, event: "appointment.reminder" }).toArray();
const scheduledKey = (key: string) => db().collection("call_keys").findOne({ _id: key as never });

/** The call the scheduler makes for one reminder. */
function reminderCall(appointment: { id: string; starts_at: string }, minutesBefore: number) {
  const key = reminderKey(appointment.id, new Date(appointment.starts_at), minutesBefore);
  return { action: "appointments.remind", params: { appointment_id: appointment.id, starts_at: appointment.starts_at, minutes_before: minutesBefore }, idempotency_key: key };
}

async function aBookedAppointment(slotIso = TEN_AM) {
  const { service } = await aBookableService();
  const citizen = await aCitizen();
  const appointment = await anAppointment(citizen, slotAt(service, slotIso));
  return { service, citizen, appointment };
}

describe("appointments: reminders", () => {
  it("schedules the 24 h and 1 h reminders when booking", async () => {
    const { appointment } = await aBookedAppointment();
    for (const minutes of [1440, 60]) {
      const held = await scheduledKey(reminderKey(appointment.id, new Date(TEN_AM), minutes));
      assert.ok(held, `the ${minutes}-minute reminder is scheduled`);
      assert.equal(new Date(held.due_at).getTime(), Date.parse(TEN_AM) - minutes * 60_000);
    }
  });

  it("sends a reminder in the branch's time with the service's name", async () => {
    const { appointment, citizen, service } = await aBookedAppointment();
    const ctx = jobContext(system().node.broker, db());
    assert.equal(await runCall(reminderCall(appointment, 60), ctx), "called");
    const [notification] = await reminderNotifications(citizen.user.id);
    assert.ok(notification, "the citizen has a reminder in their inbox");
    assert.match(notification.body, /10:00/);
    assert.ok(notification.body.includes(service.name_fr), notification.body);
  });

  it("reaches the citizen's inbox when the scheduler makes the call at its time", async () => {
    const { appointment, citizen } = await aBookedAppointment();
    const { params, idempotency_key } = reminderCall(appointment, 60);
    const due = Date.now() + 1500;
    await system().node.broker.call("scheduler.schedule", {
      name: "call:appointments.remind", at: new Date(due).toISOString(), key: `${idempotency_key}:now`, data: { action: "appointments.remind", params },
    });
    const [notification] = await waitFor(async () => {
      const found = await reminderNotifications(citizen.user.id);
      return found.length ? found : undefined;
    }, 10_000, "the reminder");
    assert.ok(new Date(notification.created_at).getTime() >= due, "not before its time");
  });

  it("sends each reminder once when its call is made again after a crash, before or after notifying", async () => {
    const { appointment, citizen } = await aBookedAppointment();
    const ctx = jobContext(system().node.broker, db());
    const runs = schedulerStore(db()).jobRuns;
    const later = () => Date.now() + CALL_LEASE_MS + 1000;
    // Killed after claiming the 24 h reminder, before notifying: the re-run sends it.
    const day = reminderCall(appointment, 1440);
    await runs.create({ _id: day.idempotency_key, state: "calling", generation: 0, action: day.action, node_id: "killed-node", claimed_at: new Date() });
    assert.equal(await runCall(day, ctx, later), "called");
    // Killed after notifying the 1 h reminder, before recording it done: the re-run calls
    // again, and notify's key makes that a no-op.
    const hour = reminderCall(appointment, 60);
    await system().node.broker.call("appointments.remind", hour.params, { meta: { idempotency_key: hour.idempotency_key } });
    await runs.create({ _id: hour.idempotency_key, state: "calling", generation: 0, action: hour.action, node_id: "killed-node", claimed_at: new Date() });
    assert.equal(await runCall(hour, ctx, later), "called");
    assert.equal(await runCall(hour, ctx, later), "already_done");
    const sent = await reminderNotifications(citizen.user.id);
    assert.equal(sent.length, 2, "one notification per reminder");
    assert.deepEqual(sent.map((n) => n.data?.minutes_before).sort((a, b) => a - b), [60, 1440]);
  });

  it("sends nothing for an appointment cancelled or moved since", async () => {
    const { broker } = system().node;
    const cancelled = await aBookedAppointment();
    assert.equal((await del(appointmentPath(cancelled.appointment.id), { token: cancelled.citizen.access })).status, 204);
    assert.deepEqual(await broker.call("appointments.remind", reminderCall(cancelled.appointment, 60).params), { sent: false });

    const moved = await aBookedAppointment();
    const reply = await put(appointmentPath(moved.appointment.id), { slot_id: slotAt(moved.service, ELEVEN_AM) }, { token: moved.citizen.access });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(await broker.call("appointments.remind", reminderCall(moved.appointment, 60).params), { sent: false });
    assert.ok(await scheduledKey(reminderKey(moved.appointment.id, new Date(ELEVEN_AM), 60)), "the new time has its reminder");
    assert.equal((await reminderNotifications(cancelled.citizen.user.id)).length + (await reminderNotifications(moved.citizen.user.id)).length, 0);
  });

  it("refuses a reminder call with bad parameters", async () => {
    await assert.rejects(system().node.broker.call("appointments.remind", { appointment_id: "nope", starts_at: "soon", minutes_before: -1 }), (err: any) => {
      assert.equal(err.code, 400);
      return true;
    });
  });
});

describe("appointments: sweep", () => {
  it("marks appointments not checked in after the grace period as no-shows", async () => {
    const { appointment } = await aBookedAppointment(NINE_AM);
    const { broker } = system().node;
    const grace = system().config.appointments.noShowGraceMinutes;
    const justInside = new Date(Date.parse(NINE_AM) + (grace - 1) * 60_000).toISOString();
    await broker.call("appointments.sweep", { now: justInside });
    const store = appointmentsStore(db());
    assert.equal((await store.appointments.findById(appointment.id).lean())?.status, "booked");
    const after = new Date(Date.parse(NINE_AM) + (grace + 1) * 60_000).toISOString();
    const swept = await broker.call<{ no_shows: number }, object>("appointments.sweep", { now: after });
    assert.ok(swept.no_shows >= 1);
    assert.equal((await store.appointments.findById(appointment.id).lean())?.status, "no_show");
  });

  it("schedules the reminders due soon that booking did not", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const store = appointmentsStore(db());
    // Booked while the scheduler was away: stored, no reminder scheduled.
    const id = new Types.ObjectId().toHexString();
    const startsAt = new Date(Date.now() + 65 * 60_000);
    await store.appointments.create({
      _id: id, slot_id: slotAt(service, MONDAY_2030), seat_id: `${id}#0`, service_id: service.id, branch_id: service.branch_id,
      organization_id: service.organization_id, user_id: citizen.user.id, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3600_000),
      status: "booked", ticket_id: null, booked_by: citizen.user.id,
    });
    await noteOpenAppointment(store, startsAt, id); // as booking does, before the appointment
    const key = reminderKey(id, startsAt, 60);
    assert.equal(await scheduledKey(key), null);
    await system().node.broker.call("appointments.sweep", {});
    assert.ok(await scheduledKey(key), "the 1 h reminder, due within the next sweeps, is scheduled");
    assert.equal(await scheduledKey(reminderKey(id, startsAt, 1440)), null, "the 24 h one has passed already");
  });
});
