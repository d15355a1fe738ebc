import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization, anAgent } from "../support/fixtures.ts";
import { del, get, post } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { Types } from "mongoose";
import { anAppointment, anAppointmentService, appointmentPath, EVERY_DAY, generateSlots, soon } from "./appointment-fixtures.ts";

const checkIn = (id: string) => `${appointmentPath(id)}check-in/`;

/** Dakar, Place de l'Indépendance. */
const PLATEAU = { latitude: 14.6681, longitude: -17.4319 };

/** A service with 5-minute slots all day, generated from now, and its queue with one counter; its first slot from soon() is due within the queue's 10-minute appointment window. */
async function aServiceWithQueue(branchExtra: Record<string, unknown> = {}) {
  const setup = await anAppointmentService({ slot_minutes: 5, slot_capacity: 3, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY }, branchExtra);
  await generateSlots({ service_id: setup.service.id, days: 2 });
  const queue = await aQueue(setup.admin, setup.org.id, { branch_id: setup.branch.id, service_id: setup.service.id, prefix: "R" });
  const counter = await aCounter(setup.admin, queue.id);
  const slots = await get(`/api/appointments/appointment-slots/?service_id=${setup.service.id}&date_from=${soon()}&page_size=1`, { token: setup.admin.access });
  return { ...setup, queue, counter, nextSlot: slots.body.results[0] };
}

describe("/api/appointments/appointments/{id}/check-in/", () => {
  it("turns the appointment into a ticket in its service's queue, called before an earlier walk-in when due", async () => {
    const { queue, counter, nextSlot, org } = await aServiceWithQueue();
    const walkIn = await aTicket(await aCitizen(), queue.id);
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, nextSlot.id);
    const checked = await post(checkIn(mine.id), {}, { token: citizen.access });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.deepEqual([checked.body.status, checked.body.ticket_id], ["checked_in", checked.body.ticket.id]);
    const ticket = await get(`/api/queues/tickets/${checked.body.ticket_id}/`, { token: citizen.access });
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    assert.deepEqual([ticket.body.queue_id, ticket.body.appointment_id, ticket.body.appointment_at, ticket.body.channel, ticket.body.user_id], [queue.id, mine.id, nextSlot.starts_at, "mobile", citizen.user.id]);
    assert.equal(ticket.body.position, 1);
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.status, "checked_in");
    const agent = await anAgent(org.id);
    const called = await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counter }, { token: agent.access });
    assert.equal(called.body.id, checked.body.ticket_id);
    assert.equal((await get(`/api/queues/tickets/${walkIn.id}/`, { token: agent.access })).body.position, 1);
  });

  it("lets staff of the organisation check a citizen in, and gives the same ticket when repeated", async () => {
    const { nextSlot, org } = await aServiceWithQueue();
    const mine = await anAppointment(await aCitizen(), nextSlot.id);
    const agent = await anAgent(org.id);
    const first = await post(checkIn(mine.id), {}, { token: agent.access });
    const again = await post(checkIn(mine.id), {}, { token: agent.access });
    assert.deepEqual([first.status, again.status], [200, 200]);
    assert.equal(again.body.ticket_id, first.body.ticket_id);
  });

  it("refuses another citizen, another organisation's staff and anonymous calls, issuing nothing", async () => {
    const { nextSlot, queue, admin } = await aServiceWithQueue();
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, nextSlot.id);
    const foreign = await anAdministeredOrganization();
    assertError(await post(checkIn(mine.id), {}, { token: (await aCitizen()).access }), 404, "not_found");
    assertError(await post(checkIn(mine.id), {}, { token: (await anAgent(foreign.org.id)).access }), 404, "not_found");
    assertError(await post(checkIn(mine.id), {}), 401, "not_authenticated");
    assertError(await post(checkIn(mine.id), { early: true }, { token: citizen.access }), 400, "validation_failed");
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.status, "booked");
    assert.equal((await get(`/api/queues/tickets/?queue_id=${queue.id}`, { token: admin.access })).body.count, 0);
  });

  it("never checks a citizen in to another organisation's queue on the same service", async () => {
    const { service } = await anAppointmentService({ slot_minutes: 5, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY });
    await generateSlots({ service_id: service.id, days: 2 });
    // Such a queue can no longer be created; one stored before that was refused must not be used.
    const intruder = await anAdministeredOrganization();
    const planted = await aQueue(intruder.admin, intruder.org.id, { prefix: "X" });
    await system().node.db.collection("queues").updateOne({ _id: new Types.ObjectId(planted.id) }, { $set: { service_id: service.id } });
    await system().node.broker.broadcast("queues.changed", { queue_id: planted.id, deleted: false });
    const citizen = await aCitizen();
    const slots = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=1`, { token: citizen.access });
    const mine = await anAppointment(citizen, slots.body.results[0].id);
    assertError(await post(checkIn(mine.id), {}, { token: citizen.access }), 404, "not_found");
    assert.equal((await get(`/api/queues/tickets/?queue_id=${planted.id}`, { token: intruder.admin.access })).body.count, 0);
  });

  it("refuses a cancelled appointment and answers 404 when the service has no queue", async () => {
    const { service } = await anAppointmentService({ slot_minutes: 5, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY });
    await generateSlots({ service_id: service.id, days: 2 });
    const citizen = await aCitizen();
    const slots = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=2`, { token: citizen.access });
    const noQueue = await anAppointment(citizen, slots.body.results[0].id);
    assertError(await post(checkIn(noQueue.id), {}, { token: citizen.access }), 404, "not_found");
    assert.equal((await get(appointmentPath(noQueue.id), { token: citizen.access })).body.status, "booked");
    const cancelled = await anAppointment(citizen, slots.body.results[1].id);
    assert.equal((await del(appointmentPath(cancelled.id), { token: citizen.access })).status, 204);
    assertError(await post(checkIn(cancelled.id), {}, { token: citizen.access }), 409, "appointment_not_booked");
  });

  it("asks a citizen checking in themselves to be at a branch whose position is known; staff need not", async () => {
    const { nextSlot, org } = await aServiceWithQueue(PLATEAU);
    const citizen = await aCitizen();
    const mine = await anAppointment(citizen, nextSlot.id);
    assertError(await post(checkIn(mine.id), {}, { token: citizen.access }), 400, "validation_failed");
    const farAway = await post(checkIn(mine.id), { latitude: 14.7167, longitude: -17.4677 }, { token: citizen.access });
    assertError(farAway, 403, "not_at_branch");
    assert.ok(farAway.body.error.details.distance_m > 5000, JSON.stringify(farAway.body));
    assertError(await post(checkIn(mine.id), { latitude: 91, longitude: 0 }, { token: citizen.access }), 400, "validation_failed");
    assert.equal((await get(appointmentPath(mine.id), { token: citizen.access })).body.status, "booked");
    const atTheDoor = await post(checkIn(mine.id), { latitude: 14.6690, longitude: -17.4322 }, { token: citizen.access });
    assert.equal(atTheDoor.status, 200, JSON.stringify(atTheDoor.body));
    const other = await anAppointment(await aCitizen(), nextSlot.id);
    assert.equal((await post(checkIn(other.id), {}, { token: (await anAgent(org.id)).access })).status, 200);
  });
});
