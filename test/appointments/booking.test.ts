import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { aCitizen, anAgent } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";
import { aBookableService, anAppointment, anAppointmentService, APPOINTMENTS, appointmentPath, EVERY_DAY, generateSlots, slotAt, slotPath, soon } from "./appointment-fixtures.ts";

const NINE = "2030-01-07T09:00:00Z";
const TEN = "2030-01-07T10:00:00Z";

describe("booking appointments", () => {
  it("gives a one-place slot to exactly one of 100 concurrent bookings", async function () {
    this.timeout(120_000);
    const { service } = await aBookableService();
    const citizens = await Promise.all(Array.from({ length: 100 }, () => aCitizen()));
    const replies = await Promise.all(citizens.map((c) => post(APPOINTMENTS, { slot_id: slotAt(service, NINE) }, { token: c.access })));
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(replies.find((r) => r.status !== 201 && r.status !== 409)?.body));
    assert.equal(replies.filter((r) => r.status === 409 && r.body.error.code === "slot_full").length, 99);
    const slot = await get(slotPath(slotAt(service, NINE)), { token: citizens[0]!.access });
    assert.deepEqual([slot.body.booked, slot.body.remaining], [1, 0]);
  });

  it("books a slot for the citizen, and staff book for a citizen they name", async () => {
    const { org, service } = await aBookableService({ slot_capacity: 2 });
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    assert.deepEqual([mine.status, mine.user_id, mine.service_id, mine.starts_at, mine.ends_at], ["booked", citizen.user.id, service.id, "2030-01-07T09:00:00.000Z", "2030-01-07T10:00:00.000Z"]);
    const agent = await anAgent(org.id);
    const other = await aCitizen();
    const forOther = await anAppointment(agent, slotAt(service, NINE), { user_id: other.user.id });
    assert.deepEqual([forOther.user_id, forOther.booked_by], [other.user.id, agent.user.id]);
    assert.equal((await get(appointmentPath(forOther.id), { token: other.access })).status, 200);
    assertError(await post(APPOINTMENTS, { slot_id: slotAt(service, NINE), user_id: (await aCitizen()).user.id }, { token: agent.access }), 409, "slot_full");
  });

  it("refuses a second appointment overlapping one the citizen holds, in any service", async () => {
    const first = await aBookableService();
    const second = await aBookableService({ slot_minutes: 30 });
    const citizen = await aCitizen();
    await anAppointment(citizen, slotAt(first.service, NINE));
    assertError(await post(APPOINTMENTS, { slot_id: slotAt(second.service, "2030-01-07T09:30:00Z") }, { token: citizen.access }), 409, "overlapping_appointment");
    assert.equal((await get(slotPath(slotAt(second.service, "2030-01-07T09:30:00Z")), { token: citizen.access })).body.booked, 0);
    await anAppointment(citizen, slotAt(second.service, "2030-01-07T10:00:00Z"));
  });

  it("reschedules to another slot, freeing the old one", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    const moved = await put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN) }, { token: citizen.access });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.id, moved.body.slot_id, moved.body.starts_at], [mine.id, slotAt(service, TEN), "2030-01-07T10:00:00.000Z"]);
    assert.equal((await get(slotPath(slotAt(service, NINE)), { token: citizen.access })).body.remaining, 1);
    assert.equal((await get(slotPath(slotAt(service, TEN)), { token: citizen.access })).body.remaining, 0);
    await anAppointment(await aCitizen(), slotAt(service, NINE));
    // only within the service
    const other = await aBookableService({ slot_minutes: 30 });
    assertError(await put(appointmentPath(mine.id), { slot_id: slotAt(other.service, TEN) }, { token: citizen.access }), 400, "validation_failed");
  });

  it("keeps exactly one place for an appointment moved twice at once: a move from a state another changed is refused", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    const targets = [TEN, "2030-01-07T11:00:00Z"];
    const replies = await Promise.all(targets.map((t) => put(appointmentPath(mine.id), { slot_id: slotAt(service, t) }, { token: citizen.access })));
    // Both may go through one after the other; run side by side, the second is refused.
    for (const reply of replies) assert.ok(reply.status === 200 || (reply.status === 409 && reply.body.error.code === "appointment_changed"), JSON.stringify(reply.body));
    assert.ok(replies.some((r) => r.status === 200));
    const now = (await get(appointmentPath(mine.id), { token: citizen.access })).body;
    // Exactly the slot it is in holds a place: the old one and any other are free.
    const remaining = await Promise.all([NINE, ...targets].map(async (t) => [t, (await get(slotPath(slotAt(service, t)), { token: citizen.access })).body.remaining]));
    assert.deepEqual(remaining, [NINE, ...targets].map((t) => [t, slotAt(service, t) === now.slot_id ? 0 : 1]));
    // And it can still be moved, from where it is now.
    assert.equal((await put(appointmentPath(mine.id), { slot_id: slotAt(service, NINE) }, { token: citizen.access })).status, 200);
  });

  it("holds no place for an appointment moved and cancelled at once, and one place if the move won", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    const [moved, cancelled] = await Promise.all([
      put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN) }, { token: citizen.access }),
      del(appointmentPath(mine.id), { token: citizen.access }),
    ]);
    for (const reply of [moved, cancelled]) assert.ok([200, 204].includes(reply.status) || (reply.status === 409 && ["appointment_changed", "appointment_not_booked"].includes(reply.body.error.code)), JSON.stringify(reply.body));
    const now = (await get(appointmentPath(mine.id), { token: citizen.access })).body;
    const held = now.status === "booked" ? now.slot_id : null;
    for (const t of [NINE, TEN]) assert.equal((await get(slotPath(slotAt(service, t)), { token: citizen.access })).body.remaining, slotAt(service, t) === held ? 0 : 1, t);
  });

  it("refuses rescheduling into a full slot and keeps the appointment where it was", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    await anAppointment(await aCitizen(), slotAt(service, TEN));
    assertError(await put(appointmentPath(mine.id), { slot_id: slotAt(service, TEN) }, { token: citizen.access }), 409, "slot_full");
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.slot_id, slotAt(service, NINE));
    assert.equal((await get(slotPath(slotAt(service, NINE)), { token: citizen.access })).body.remaining, 0);
  });

  it("cancels with DELETE, freeing the place and the citizen's time", async () => {
    const { service } = await aBookableService();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, slotAt(service, NINE));
    assert.equal((await del(appointmentPath(mine.id), { token: citizen.access })).status, 204);
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.status, "cancelled");
    assertError(await del(appointmentPath(mine.id), { token: citizen.access }), 409, "appointment_not_booked");
    const again = await anAppointment(citizen, slotAt(service, NINE));
    assert.notEqual(again.id, mine.id);
  });

  it("refuses to cancel or reschedule within the service's cut-off", async () => {
    const { service } = await anAppointmentService({ booking_cutoff_minutes: 7 * 24 * 60, opening_hours: EVERY_DAY });
    await generateSlots({ service_id: service.id, days: 2 });
    const citizen = await aCitizen();
    const slots = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}`, { token: citizen.access });
    const [first, second] = slots.body.results;
    const mine = await anAppointment(citizen, first.id);
    assertError(await del(appointmentPath(mine.id), { token: citizen.access }), 409, "cutoff_passed");
    assertError(await put(appointmentPath(mine.id), { slot_id: second.id }, { token: citizen.access }), 409, "cutoff_passed");
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.status, "booked");
  });

  it("refuses booking or moving to a slot that has started", async () => {
    const { service } = await anAppointmentService({ slot_minutes: 5, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    // Through tomorrow: an hour from now is tomorrow when the suite runs late in the evening.
    await generateSlots({ service_id: service.id, from: yesterday, days: 3 });
    const citizen = await aCitizen();
    const past = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_to=${encodeURIComponent(new Date().toISOString())}`, { token: citizen.access });
    const started = past.body.results[0];
    assert.ok(started && Date.parse(started.starts_at) < Date.now(), JSON.stringify(past.body));
    assertError(await post(APPOINTMENTS, { slot_id: started.id }, { token: citizen.access }), 409, "slot_started");
    const ahead = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, { token: citizen.access });
    const mine = await anAppointment(citizen, ahead.body.results[0].id);
    assertError(await put(appointmentPath(mine.id), { slot_id: started.id }, { token: citizen.access }), 409, "slot_started");
  });
});
