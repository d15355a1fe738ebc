// The tenant matrix, generated from the route table: every REST route, called by users who
// have no business with organisation A (another organisation's admin and agent, a citizen
// who is not the owner), on A's own ids, with a body that passes validation so that the
// check under test is the tenant and role check. Nothing may succeed except reading the
// public catalogue (and taking a ticket or booking, which any citizen may), no answer may
// carry A's private ids, and A's data must be as it was.
import assert from "node:assert/strict";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aService, type Session } from "../support/fixtures.ts";
import { call, get, post } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";
import { aDisplayToken } from "../live/live-fixtures.ts";
import { anAppointment, EVERY_DAY, generateSlots, soon } from "../appointments/appointment-fixtures.ts";
import { filled, restRoutes, type Route } from "./route-table.ts";
import { aStoredPayment } from "../payments/stored-payment.ts";

/** Open to anyone signed in: the catalogue of offices, and what a citizen does there. */
const PUBLIC = new Set([
  "business.organizations.listOrganizations", "business.organizations.getOrganization", "business.organizations.listOrganizationServices",
  "business.branches.listBranches", "business.branches.getBranch", "business.services.listServices", "business.services.getService",
  "queues.listQueues", "queues.getQueue", "queues.queueStatus",
  "appointments.listSlots", "appointments.getSlot", "appointments.availableSlots",
  // A citizen's own things, whatever organisation: their ticket, their booking, their session.
  "queues.issueTicket", "queues.myTickets", "appointments.book", "appointments.myAppointments",
  "accounts.me", "accounts.updateMe", "accounts.logout", "accounts.login", "accounts.register", "accounts.refresh",
  "notifications.listNotifications", "notifications.markAllRead", "notifications.push-tokens.listPushTokens", "notifications.push-tokens.registerPushToken",
  // Lists answer the caller's own scope (checked below: none of A's private ids in them).
  "queues.listTickets", "queues.analytics", "business.analytics", "accounts.listUsers", "accounts.display-tokens.listDisplayTokens",
  "appointments.listAppointments", "notifications.listDeliveries", "notifications.templates.listTemplates", "notifications.templates.getTemplate",
  "notifications.smsProviders", "payments.listMethods", "payments.listTransactions", "payments.settlement", "analytics.dashboard", "analytics.queueStats", "analytics.userBehavior",
  // Reference data, the same for everyone.
  "locations.listCommunes", "locations.geocode", "locations.travelEstimate", "locations.travelEstimateFor", "locations.distanceMatrix",
  // Traffic on the roads is everyone's: any organisation's staff report it, everyone reads it.
  "locations.listTraffic", "locations.reportTraffic",
  // The public figures of every organisation's queues near a point, as the queues' status shows them.
  "locations.nearbyServices",
  // The caller's own locations: there is no way to name anyone else's.
  "locations.listUserLocations", "locations.recordUserLocation",
  // Staff of any organisation may send by hand (capped per organisation; see staff-sends).
  "notifications.sendSms",
]);

describe("the tenant matrix", function () {
  this.timeout(120_000);

  it("lets nobody outside organisation A act on A's ids, or read what is private to A", async () => {
    // Organisation A, with one of everything.
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const service = await aService(admin, org.id, { branch_id: branch.id, appointments_enabled: true, slot_minutes: 30, booking_cutoff_minutes: 0, opening_hours: EVERY_DAY });
    await generateSlots({ service_id: service.id, days: 2 });
    const queue = await aQueue(admin, org.id, { branch_id: branch.id, service_id: service.id });
    const counter = await aCounter(admin, queue.id);
    const agent = await anAgent(org.id);
    const owner = await aCitizen();
    const ticket = await aTicket(owner, queue.id);
    const slot = (await get(`/api/appointments/appointment-slots/?service_id=${service.id}&date_from=${soon()}&page_size=1`, { token: owner.access })).body.results[0];
    const appointment = await anAppointment(owner, slot.id);
    const display = await aDisplayToken(admin, branch.id);
    const delivery = (await post("/api/notifications/send-sms/", { to: owner.user.phone, text: "Votre dossier" }, { token: admin.access })).body;
    const payment = await aStoredPayment({ organization_id: org.id, user_id: owner.user.id, service_id: service.id });
    const ids: Record<string, Record<string, string>> = {
      "/api/queues/queues/": { id: queue.id, counter_id: counter },
      "/api/queues/tickets/": { id: ticket.id },
      "/api/business/organizations/": { id: org.id },
      "/api/business/branches/": { id: branch.id },
      "/api/business/services/": { id: service.id },
      "/api/appointments/appointments/": { id: appointment.id },
      "/api/appointments/appointment-slots/": { id: slot.id },
      "/api/accounts/users/": { id: agent.user.id },
      "/api/accounts/display-tokens/": { id: display.id },
      "/api/notifications/deliveries/": { id: delivery.id },
      "/api/payments/transactions/": { id: payment.id },
    };
    const idsFor = (route: Route) => Object.entries(ids).find(([prefix]) => route.path.startsWith(prefix))?.[1] ?? {};
    // Bodies that pass validation, so the answer is the authorisation's.
    const bodies: Record<string, unknown> = {
      "queues.createQueue": { organization_id: org.id, name: "Intruse", prefix: "I" },
      "queues.updateQueue": { name: "Détournée" },
      "queues.createCounter": { name: "Guichet pirate" },
      "queues.updateCounter": { open: false },
      "queues.callNext": { counter_id: counter },
      "queues.closeQueue": { reason: "pirate" },
      "queues.issueTicket": { queue_id: queue.id },
      "queues.transferTicket": { queue_id: queue.id },
      "queues.transferTicketAction": { queue_id: queue.id },
      "queues.callTicket": { counter_id: counter },
      "business.organizations.updateOrganization": { name: "Détournée" },
      "business.branches.createBranch": { organization_id: org.id, name: "Annexe pirate" },
      "business.branches.updateBranch": { name: "Détournée" },
      "business.services.createService": { organization_id: org.id, name_fr: "Pirate", name_en: "Pirate", expected_duration_minutes: 5 },
      "business.services.updateService": { name_fr: "Détourné" },
      "appointments.reschedule": { slot_id: slot.id },
      "appointments.checkIn": {},
      "accounts.updateUser": { first_name: "Pirate" },
      "accounts.createUser": { phone: "+221771234567", password: "Pirate-pass1", role: "agent", organization_id: org.id },
      "accounts.display-tokens.createDisplayToken": { branch_id: branch.id, name: "Écran pirate" },
      "notifications.sendEmail": { to: "a@example.sn", subject: "x", text: "x" },
      "payments.processPayment": { transaction_id: payment.id },
      "payments.verifyPayment": { transaction_id: payment.id },
      "payments.refund": { transaction_id: payment.id },
      "locations.geocode": { address: "Agence Plateau" },
      "locations.travelEstimateFor": { origin: { latitude: 14.67, longitude: -17.43 }, destination: { latitude: 14.76, longitude: -17.44 } },
      "locations.distanceMatrix": { origins: [{ latitude: 14.67, longitude: -17.43 }], destinations: [{ latitude: 14.76, longitude: -17.44 }] },
      // Far from every other test's trips (Kédougou), and slight.
      "locations.reportTraffic": { latitude: 12.55, longitude: -12.17, radius_m: 50, severity: 1 },
      "locations.recordUserLocation": { latitude: 14.7, longitude: -17.45 },
    };
    const privateIds = [ticket.id, appointment.id, display.id, delivery.id, agent.user.id, owner.user.id, payment.id];
    const fingerprint = async () => JSON.stringify(await Promise.all([
      get(`/api/queues/queues/${queue.id}/`, { token: admin.access }).then((r) => r.body),
      // Not its version or waiting count: outsiders may take tickets there, as any citizen.
      get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access }).then((r) => [r.body.status, r.body.now_serving, r.body.next[0]]),
      get(`/api/queues/tickets/${ticket.id}/`, { token: admin.access }).then((r) => r.body.status),
      get(`/api/business/organizations/${org.id}/`, { token: admin.access }).then((r) => r.body),
      get(`/api/business/branches/${branch.id}/`, { token: admin.access }).then((r) => r.body),
      get(`/api/business/services/${service.id}/`, { token: admin.access }).then((r) => r.body),
      get(`/api/appointments/appointments/${appointment.id}/`, { token: admin.access }).then((r) => r.body.status),
      get(`/api/accounts/users/${agent.user.id}/`, { token: admin.access }).then((r) => r.body),
      get(`/api/accounts/display-tokens/?branch_id=${branch.id}`, { token: admin.access }).then((r) => r.body.count),
      get(`/api/queues/queues/${queue.id}/counters/`, { token: admin.access }).then((r) => r.body),
      get(`/api/payments/transactions/${payment.id}/`, { token: admin.access }).then((r) => [r.body.status, r.body.refunded, r.body.version]),
    ]));
    const before = await fingerprint();

    const foreign = await anAdministeredOrganization();
    const outsiders: Array<[string, Session]> = [
      ["another organisation's admin", foreign.admin],
      ["another organisation's agent", await anAgent(foreign.org.id)],
      ["a citizen who is not the owner", await aCitizen()],
    ];
    let cases = 0;
    const allowed: string[] = [];
    for (const route of restRoutes()) {
      const path = filled(route, idsFor(route), "0123456789abcdef01234567");
      const body = route.method === "GET" || route.method === "DELETE" ? undefined : (bodies[route.action] ?? {});
      for (const [who, session] of outsiders) {
        const reply = await call(route.method, path, body, { token: session.access });
        cases++;
        const text = JSON.stringify(reply.body ?? null);
        for (const id of privateIds) assert.ok(!text.includes(id), `${route.method} ${route.path} as ${who} answered A's private id ${id}: ${text.slice(0, 300)}`);
        if (reply.status < 400) {
          assert.ok(PUBLIC.has(route.action), `${route.method} ${route.path} (${route.action}) succeeded (${reply.status}) for ${who}: ${text.slice(0, 300)}`);
          allowed.push(route.action);
        }
      }
    }
    assert.deepEqual(JSON.parse(await fingerprint()), JSON.parse(before), "organisation A's data changed");
    console.log(`      ${cases} calls (${restRoutes().length} routes × ${outsiders.length} outsiders) on organisation A's ids: ${allowed.length} allowed, all public or the caller's own`);
  });
});
