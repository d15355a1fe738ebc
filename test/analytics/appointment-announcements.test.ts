// Bookings and how appointments ended reach analytics even when no analytics node runs as
// they happen (services/appointments/announcements.ts): a node without analytics keeps
// each announcement, the appointments sweep of a node that reaches analytics hands them
// over, and each is filed once however often it is handed.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { ANNOUNCEMENT_ACTIONS } from "../../services/appointments/announcements.ts";
import type { AnnouncementKind } from "../../services/events.ts";
import { anAppointmentService, APPOINTMENTS, appointmentPath, MONDAY_2030, slotAt } from "../appointments/appointment-fixtures.ts";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { del, get, post, routeRequestsTo } from "../support/http.ts";
import { databaseUrl, startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";

const BEHAVIOR = "/api/analytics/user-behavior/";

describe("appointments announced to analytics", function () {
  this.timeout(120_000);
  // Two nodes on a database of their own and without the scheduler, whose sweep runs once
  // at its start and could hand announcements over at any moment of the test: only the
  // sweep the test calls does.
  const database = `announcements_${randomUUID().slice(0, 8)}`;
  const services = "api,accounts,business,queues,appointments";
  let withAnalytics: TestSystem;
  let withoutAnalytics: TestSystem;
  let db: Connection;
  before(async () => {
    withAnalytics = await startExtraSystem({ SERVICES: `${services},notifications,analytics` }, { database });
    withoutAnalytics = await startExtraSystem({ SERVICES: services }, { database });
    routeRequestsTo(withAnalytics.baseUrl);
    db = await connectMongo(databaseUrl(database));
  });
  after(async () => {
    routeRequestsTo(undefined);
    await Promise.all([stopExtraSystem(withAnalytics), stopExtraSystem(withoutAnalytics)]);
    await db.close();
  });

  it("keeps a booking and a cancellation made while no analytics node runs, and files each once when the sweep hands them over", async () => {
    const { admin, service } = await anAppointmentService();
    await withAnalytics.node.broker.call("appointments.generateSlots", { service_id: service.id, from: MONDAY_2030, days: 1 }, { timeout: 60_000 });
    const citizen: Session = await aCitizen();
    const there = { token: citizen.access, baseUrl: withoutAnalytics.baseUrl };
    const booked = await post(APPOINTMENTS, { slot_id: slotAt(service, new Date(Date.parse(MONDAY_2030) + 9 * 3_600_000).toISOString()) }, there);
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal((await del(appointmentPath(booked.body.id), there)).status, 204);

    const kept = () => db.collection("appointment_announcements").find({ _id: { $in: [`${booked.body.id}:booked`, `${booked.body.id}:ended`] } as never }).toArray();
    const announcements = await kept();
    assert.deepEqual(announcements.map((a) => a.kind).sort(), ["booked", "ended"], "both kept while analytics could not take them");
    const figures = async () => {
      const reply = await get(BEHAVIOR, { token: admin.access });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return [reply.body.booking_lead_time.count, reply.body.appointments.booked, reply.body.appointments.cancelled];
    };
    assert.deepEqual(await figures(), [0, 0, 0], "nothing filed yet");

    const swept = await withAnalytics.node.broker.call<{ announcements_handed_again: number }, object>("appointments.sweep", {});
    assert.equal(swept.announcements_handed_again, 2, JSON.stringify(swept));
    assert.deepEqual(await kept(), [], "handed over, then forgotten");
    assert.deepEqual(await figures(), [1, 1, 1]);

    // Handed again, as after a node that died between analytics filing them and forgetting them: filed once.
    for (const { kind, payload } of announcements) await withAnalytics.node.broker.call(ANNOUNCEMENT_ACTIONS[kind as AnnouncementKind], payload);
    assert.deepEqual(await figures(), [1, 1, 1]);
  });

  it("refuses an announcement that does not parse, so that its sender keeps it", async () => {
    await assert.rejects(withAnalytics.node.broker.call("analytics.recordBooking", { appointment_id: "a1", organization_id: "o1" }), (err: { type?: string; code?: number; data?: { fields?: Array<{ path: string }> } }) => {
      assert.deepEqual([err.code, err.type], [400, "validation_failed"]);
      assert.ok(err.data?.fields?.some((f) => f.path.includes("service_id")), JSON.stringify(err.data));
      return true;
    });
  });
});
