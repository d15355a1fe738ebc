// GET /api/analytics/user-behavior/: citizens who came (new, and back after an earlier
// day), channels and no-shows from the rollups, booking lead times from real bookings and
// how real appointments ended; each visit, booking and end recorded once; the scope's
// rights as everywhere in analytics.
import assert from "node:assert/strict";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { recordAppointmentEnd } from "../../services/analytics/appointment-outcomes.ts";
import { VisitRecorder, visitsIn, visitsOfDay } from "../../services/analytics/visits.ts";
import type { QueueChanged } from "../../services/events.ts";
import { anAppointment, anAppointmentService, aBookableService, appointmentPath, EVERY_DAY, generateSlots, MONDAY_2030, slotAt, soon } from "../appointments/appointment-fixtures.ts";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin, type Session } from "../support/fixtures.ts";
import { del, get, post } from "../support/http.ts";
import { aQueue, aTicket } from "../support/queues.ts";
import { mongoUrl, system } from "../support/system.ts";
import { anOfficeMorning } from "./office-morning.ts";

const BEHAVIOR = "/api/analytics/user-behavior/";
const EARLIER = "2026-11-20";
const today = () => new Date().toISOString().slice(0, 10);
const as = (who: Session) => ({ token: who.access });

/** A ticket issued for a citizen in a queue at an instant, as its owner would broadcast it. */
function anIssue(queue: { id: string; organization_id: string }, userId: string, at: number, version = 1): QueueChanged {
  return {
    queue_id: queue.id, organization_id: queue.organization_id, branch_id: null, from_version: version, version,
    events: [{ type: "ticket.issued", queue_id: queue.id, version, at, ticket: { id: `t-${userId}-${at}`, user_id: userId, channel: "mobile" } as never }],
    next: [], sent_at: at,
  };
}

describe("/api/analytics/user-behavior/", function () {
  let db: Connection;
  let office: Awaited<ReturnType<typeof anOfficeMorning>>;
  let other: { org: { id: string }; admin: Session };
  let regular: Session;

  before(async function () {
    this.timeout(60_000);
    db = await connectMongo(mongoUrl());
    [office, other, regular] = await Promise.all([anOfficeMorning(), anAdministeredOrganization(), aCitizen()]);
    // The regular came to this organisation on an earlier day (recorded as the analytics node records it), and again today.
    await new VisitRecorder(db).record(visitsIn(anIssue(office.queue, regular.user.id, Date.parse(`${EARLIER}T10:00:00Z`))));
    await aTicket(regular, office.queue.id);
  });
  after(() => db.close());

  it("counts today's citizens, the one back after an earlier day, channels and no-shows", async () => {
    // Visits are recorded as the change is heard, the rollups half a second later: both are awaited.
    const reply = await eventually(() => get(BEHAVIOR, as(office.admin)), (r) => r.status === 200 && r.body.citizens.count === 4 && r.body.tickets.issued === 4);
    assert.deepEqual([reply.body.scope, reply.body.organization_id, reply.body.date_from, reply.body.date_to], ["organization", office.org.id, today(), today()]);
    assert.deepEqual(reply.body.citizens, { count: 4, new: 3, returning: 1, returning_rate: 0.25, visits: 4 });
    assert.deepEqual(reply.body.tickets, { issued: 4, channels: { mobile: 4 }, no_show: 1, no_show_rate: 1 / 3 });
    assert.deepEqual(reply.body.booking_lead_time, { count: 0, mean_hours: null, median_hours: null, p90_hours: null });
    const withEarlier = await get(`${BEHAVIOR}?date_from=${EARLIER}&date_to=${today()}`, as(office.admin));
    assert.deepEqual([withEarlier.body.citizens.count, withEarlier.body.citizens.new, withEarlier.body.citizens.returning], [4, 4, 1]);
    const queue = await get(`${BEHAVIOR}?queue_id=${office.queue.id}`, as(office.agent));
    assert.deepEqual([queue.body.scope, queue.body.citizens.count, queue.body.booking_lead_time, queue.body.appointments], ["queue", 4, null, null]);
  });

  it("records a citizen's visit to a queue on a day once, however often the change is heard", async () => {
    const queue = { id: `q-${regular.user.id}`, organization_id: office.org.id };
    const change = anIssue(queue, regular.user.id, Date.parse(`${EARLIER}T11:00:00Z`), 7);
    await Promise.all([new VisitRecorder(db).record(visitsIn(change)), new VisitRecorder(db).record(visitsIn(change))]);
    const recorder = new VisitRecorder(db);
    await recorder.record(visitsIn(change));
    await recorder.record(visitsIn({ ...change, version: 8, from_version: 8, events: [{ ...change.events[0]!, version: 8 }] }));
    assert.equal(await visitsOfDay(db, EARLIER).countDocuments({ queue_id: queue.id }), 1);
  });

  it("measures how long before their appointment citizens book it", async () => {
    const { org, admin, service } = await aBookableService();
    const startsAt = new Date(Date.parse(MONDAY_2030) + 9 * 3_600_000).toISOString();
    const bookedAt = Date.now();
    await anAppointment(await aCitizen(), slotAt(service, startsAt));
    const reply = await eventually(() => get(BEHAVIOR, as(admin)), (r) => r.status === 200 && r.body.booking_lead_time.count === 1);
    const lead = reply.body.booking_lead_time;
    const hours = (Date.parse(startsAt) - bookedAt) / 3_600_000;
    assert.ok(Math.abs(lead.median_hours - hours) < 0.2 && lead.mean_hours === lead.median_hours && lead.p90_hours === lead.median_hours, JSON.stringify(lead));
    assert.equal(reply.body.organization_id, org.id);
    const outsider = await get(BEHAVIOR, as(other.admin));
    assert.deepEqual([outsider.body.organization_id, outsider.body.booking_lead_time.count, outsider.body.citizens.count], [other.org.id, 0, 0]);
  });

  it("counts how appointments ended — cancelled, checked in, missed — on the day each ended, a repeated check-in once, here and in the dashboard and queue-stats", async () => {
    const { org, admin, branch, service } = await anAppointmentService({ slot_minutes: 5, slot_capacity: 3, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY });
    await generateSlots({ service_id: service.id, days: 2 });
    await generateSlots({ service_id: service.id, from: MONDAY_2030, days: 1 });
    const queue = await aQueue(admin, org.id, { branch_id: branch.id, service_id: service.id, prefix: "R" });
    const next = await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=1`, as(admin));
    const [leaving, coming, missing] = await Promise.all([aCitizen(), aCitizen(), aCitizen()]);
    const cancelled = await anAppointment(leaving, next.body.results[0].id);
    const checkedIn = await anAppointment(coming, next.body.results[0].id);
    await anAppointment(missing, slotAt(service, MONDAY_2030));
    assert.equal((await del(appointmentPath(cancelled.id), as(leaving))).status, 204);
    const agent = await anAgent(org.id);
    for (let i = 0; i < 2; i++) assert.equal((await post(`${appointmentPath(checkedIn.id)}check-in/`, {}, as(agent))).status, 200);
    // The sweep a grace period after the missed appointment's start, on its day in 2030.
    const grace = system().config.appointments.noShowGraceMinutes;
    await system().node.broker.call("appointments.sweep", { now: new Date(Date.parse(MONDAY_2030) + (grace + 1) * 60_000).toISOString() });

    const todays = await eventually(() => get(BEHAVIOR, as(admin)), (r) => r.status === 200 && r.body.appointments.cancelled + r.body.appointments.checked_in === 2);
    const today = { booked: 3, cancelled: 1, checked_in: 1, no_show: 0, no_show_rate: 0 };
    assert.deepEqual(todays.body.appointments, today);
    const dashboard = await get("/api/analytics/dashboard/", as(admin));
    assert.deepEqual([dashboard.body.today.appointments, dashboard.body.last_7_days.appointments], [today, today]);
    const day2030 = `date_from=${MONDAY_2030.slice(0, 10)}&date_to=${MONDAY_2030.slice(0, 10)}`;
    const missed = await eventually(() => get(`${BEHAVIOR}?${day2030}&branch_id=${branch.id}`, as(admin)), (r) => r.status === 200 && r.body.appointments.no_show === 1);
    const missedOnly = { booked: 0, cancelled: 0, checked_in: 0, no_show: 1, no_show_rate: 1 };
    assert.deepEqual(missed.body.appointments, missedOnly);
    const stats = await get(`/api/analytics/queue-stats/?${day2030}&branch_id=${branch.id}`, as(admin));
    assert.deepEqual([stats.body.totals.appointments, stats.body.results[0].appointments], [missedOnly, missedOnly]);
    const ofQueue = await get(`/api/analytics/queue-stats/?${day2030}&queue_id=${queue.id}`, as(admin));
    assert.equal("appointments" in ofQueue.body.totals, false, "appointments are booked for a service, not a queue");
    const outsider = await get(`${BEHAVIOR}?${day2030}`, as(other.admin));
    assert.deepEqual([outsider.body.organization_id, outsider.body.appointments.no_show], [other.org.id, 0]);
  });

  it("files an appointment's end once, however often the event is heard", async () => {
    const ended = { appointment_id: `a-${regular.user.id}`, organization_id: office.org.id, branch_id: null, service_id: "s1", outcome: "no_show" as const, at: `${EARLIER}T12:00:00.000Z` };
    await Promise.all([recordAppointmentEnd(db, ended), recordAppointmentEnd(db, ended)]);
    await recordAppointmentEnd(db, ended);
    const reply = await get(`${BEHAVIOR}?date_from=${EARLIER}&date_to=${EARLIER}`, as(office.admin));
    assert.deepEqual(reply.body.appointments, { booked: 0, cancelled: 0, checked_in: 0, no_show: 1, no_show_rate: 1 });
  });

  it("answers another organisation's figures as not found, and refuses citizens and bad input", async () => {
    assertError(await get(`${BEHAVIOR}?organization_id=${office.org.id}`, as(other.admin)), 404, "not_found");
    assertError(await get(`${BEHAVIOR}?queue_id=${office.queue.id}`, as(other.admin)), 404, "not_found");
    assertError(await get(BEHAVIOR, as(regular)), 403, "forbidden");
    assertError(await get(BEHAVIOR), 401, "not_authenticated");
    const by = as(office.admin);
    assertInvalidField(await get(`${BEHAVIOR}?agent_id=someone`, by), "query");
    assertInvalidField(await get(`${BEHAVIOR}?date_from=2026-01-01&date_to=2026-12-01`, by), "query.date_to");
    assertInvalidField(await get(`${BEHAVIOR}?date_from=soon`, by), "query.date_from");
    assertInvalidField(await get(BEHAVIOR, as(await aPlatformAdmin())), "query.organization_id");
  });
});
