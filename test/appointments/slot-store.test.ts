import assert from "node:assert/strict";
import { aCitizen } from "../support/fixtures.ts";
import { get, post, put } from "../support/http.ts";
import { system } from "../support/system.ts";
import { appointmentsStore } from "../../services/appointments/store.ts";
import { eventually } from "../support/eventually.ts";
import { anAppointment, anAppointmentService, EVERY_DAY, generateSlots, MONDAY_2030, slotAt, soon } from "./appointment-fixtures.ts";

const WEEK = { from: MONDAY_2030, days: 7 };
const startsOfDay = (slots: Array<{ starts_at: string }>, day: string) => slots.filter((s) => s.starts_at.startsWith(day)).map((s) => s.starts_at.slice(11, 16));

async function storedSlots(serviceId: string, token: string) {
  const reply = await get(`/api/appointments/appointment-slots/?service_id=${serviceId}&date_from=2030-01-07&date_to=2030-01-13&page_size=100`, { token });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.results as Array<{ id: string; starts_at: string; capacity: number; remaining: number }>;
}

describe("appointments.generateSlots", () => {
  it("writes a week of slots from the branch's hours, skipping its holiday", async () => {
    const { service, admin } = await anAppointmentService({ slot_capacity: 2 }, { holidays: ["2030-01-08"] });
    assert.deepEqual(await generateSlots({ ...WEEK, service_id: service.id }), { services: 1, created: 32, removed: 0, kept: 0 });
    const slots = await storedSlots(service.id, admin.access);
    assert.equal(slots.length, 32);
    assert.deepEqual(startsOfDay(slots, "2030-01-07"), ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]);
    assert.deepEqual(startsOfDay(slots, "2030-01-08"), []);
    assert.deepEqual(startsOfDay(slots, "2030-01-12"), []);
    assert.ok(slots.every((s) => s.capacity === 2 && s.remaining === 2));
  });

  it("writes nothing twice when run again", async () => {
    const { service } = await anAppointmentService();
    await generateSlots({ ...WEEK, service_id: service.id });
    assert.deepEqual(await generateSlots({ ...WEEK, service_id: service.id }), { services: 1, created: 0, removed: 0, kept: 40 });
  });

  it("follows changed opening hours and a new holiday, keeping booked slots", async () => {
    const { service, branch, admin } = await anAppointmentService();
    await generateSlots({ ...WEEK, service_id: service.id });
    const citizen = await aCitizen();
    const booked = await anAppointment(citizen, slotAt(service, "2030-01-09T16:00:00Z"));
    const bookedOnHoliday = await anAppointment(await aCitizen(), slotAt(service, "2030-01-10T09:00:00Z"));
    const morning = [{ open: "09:00", close: "12:00" }];
    const hours = { monday: morning, tuesday: morning, wednesday: morning, thursday: morning, friday: morning };
    assert.equal((await put(`/api/business/services/${service.id}/`, { opening_hours: hours }, { token: admin.access })).status, 200);
    assert.equal((await put(`/api/business/branches/${branch.id}/`, { holidays: ["2030-01-10"] }, { token: admin.access })).status, 200);
    // planned: 4 days x 3 mornings; kept besides: the two booked slots (one of them on the holiday)
    assert.deepEqual(await generateSlots({ ...WEEK, service_id: service.id }), { services: 1, created: 0, removed: 26, kept: 14 });
    const slots = await storedSlots(service.id, admin.access);
    assert.deepEqual(startsOfDay(slots, "2030-01-09"), ["09:00", "10:00", "11:00", "16:00"]);
    assert.deepEqual(startsOfDay(slots, "2030-01-10"), ["09:00"]);
    assert.equal((await get(`/api/appointments/appointments/${booked.id}/`, { token: citizen.access })).body.status, "booked");
    assert.equal(bookedOnHoliday.slot_id, slotAt(service, "2030-01-10T09:00:00Z"));
  });

  it("leaves services without appointments alone", async () => {
    const { service } = await anAppointmentService({ appointments_enabled: false });
    assert.deepEqual(await generateSlots({ ...WEEK, service_id: service.id }), { services: 0, created: 0, removed: 0, kept: 0 });
  });

  it("covers every appointment service when none is named", async () => {
    const { service, admin } = await anAppointmentService();
    const totals = await generateSlots({ from: "2031-03-03T00:00:00Z", days: 1 });
    assert.ok(totals.services >= 1);
    const reply = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=2031-03-03&date_to=2031-03-03`, { token: admin.access });
    assert.equal(reply.body.count, 8);
  });

  it("regenerates a service's coming slots as soon as its hours change, keeping booked ones", async () => {
    const { service, admin } = await anAppointmentService({ opening_hours: EVERY_DAY, slot_minutes: 30 });
    await generateSlots({ service_id: service.id, days: 3 });
    const list = `/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=1`;
    const first = (await get(list, { token: admin.access })).body.results[0];
    await anAppointment(await aCitizen(), first.id);
    const closed = Object.fromEntries(Object.keys(EVERY_DAY).map((day) => [day, []]));
    assert.equal((await put(`/api/business/services/${service.id}/`, { opening_hours: closed }, { token: admin.access })).status, 200);
    // Regenerated behind the answer (appointments hears business.service.changed), after
    // the generation of the new service's 14 days, which may still be running.
    const left = await eventually(() => get(list, { token: admin.access }), (r) => r.body.count <= 1, 60_000);
    assert.deepEqual([left.body.count, left.body.results[0].id], [1, first.id]);
  });

  it("gives a new appointment service its slots at once, without waiting for the scheduler", async () => {
    const { service, admin } = await anAppointmentService({ opening_hours: EVERY_DAY, slot_minutes: 30 });
    const list = `/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=1`;
    // Generated behind the creation's answer (appointments hears business.service.changed).
    const slots = await eventually(() => get(list, { token: admin.access }), (r) => r.body.count > 0);
    assert.equal(slots.body.results[0].remaining, slots.body.results[0].capacity);
  });

  it("never leaves a booking in a slot that regeneration removed, nor a seat of a removed slot", async function () {
    this.timeout(120_000);
    const { service, admin } = await anAppointmentService({ slot_capacity: 1 });
    await generateSlots({ ...WEEK, service_id: service.id });
    const hours = ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"].map((h) => `2030-01-07T${h}:00.000Z`);
    const citizens = await Promise.all(hours.map(() => aCitizen()));
    const closed = Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => [d, []]));
    assert.equal((await put(`/api/business/services/${service.id}/`, { opening_hours: closed }, { token: admin.access })).status, 200);
    // Monday's slots booked while a run over the week removes every empty one.
    const [bookings, run] = await Promise.all([
      Promise.all(hours.map((h, i) => post("/api/appointments/appointments/", { slot_id: slotAt(service, h) }, { token: citizens[i]!.access }))),
      generateSlots({ ...WEEK, service_id: service.id }),
    ]);
    const slots = await storedSlots(service.id, admin.access);
    const kept = new Set(slots.map((s) => s.id));
    for (const [i, reply] of bookings.entries()) {
      const slot = slotAt(service, hours[i]!);
      if (reply.status === 201) assert.ok(kept.has(slot), `${hours[i]} was booked and must stay`);
      else assert.ok([404, 409].includes(reply.status) && !kept.has(slot), `${hours[i]}: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    assert.equal(run.removed + run.kept, 40, "every slot of the week removed or kept");
    assert.ok(slots.every((s) => s.remaining === 0), "only booked slots are left");
    const leftover = await appointmentsStore(system().node.db).seats.find({ slot_id: { $regex: `^${service.id}:` } }).lean();
    assert.deepEqual(leftover.map((s) => s.slot_id).sort(), [...kept].sort(), "a seat for each kept (booked) slot, none for a removed one");
  });
});
