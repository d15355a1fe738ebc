// A whole office day, end to end, with the scheduled steps driven by a controlled clock:
// the queue opens at 09:00 by itself, a citizen books, others take tickets from their
// phones and the kiosk (one choosing how to hear that their turn is near), an agent calls,
// serves and marks a no-show, the booking nobody honours becomes a no-show, and at 17:00
// the queue closes by itself, expiring whoever still waits. Then every message each
// citizen got, by every channel, and every ticket's end are checked.
// The jobs (openAtStartOfDay, closeAtEndOfDay, the appointments sweep) take the day's
// time as `now`; the queue's own commands run on the real clock, in between.
import assert from "node:assert/strict";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aService, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";
import { eventually } from "../support/eventually.ts";
import { anAppointment, appointmentPath, generateSlots, slotAt } from "../appointments/appointment-fixtures.ts";
import { deliveriesTo } from "../notifications/notification-fixtures.ts";
import { END_OF_DAY } from "../../services/queues/office-day.ts";

/** Monday 3 March 2031 in Dakar (UTC all year), and the Friday before it. */
const DAY = "2031-03-03";
const FRIDAY_BEFORE = "2031-02-28";
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

const job = <T>(action: string, params: Record<string, unknown>) => system().node.broker.call<T, object>(action, params);

/** What a citizen got, as `channel event [place]`, in no particular order. */
async function messagesOf(citizen: Session): Promise<string[]> {
  const logged = await deliveriesTo(citizen.user.id, undefined, { inbox: true });
  const inbox = new Map((await get("/api/notifications/notifications/?page_size=100", { token: citizen.access })).body.results.map((n: any) => [n.id, n]));
  return logged
    .map((d) => {
      const place = d.event === "turn_near" && d.channel === "in_app" ? ` ${(inbox.get(d._id) as any)?.data.position}` : "";
      return `${d.channel} ${d.event}${place}`;
    })
    .sort();
}

describe("a day at the office", function () {
  this.timeout(120_000);

  it("opens, takes bookings and tickets, tells, calls, serves, closes — and everyone heard what they chose", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id, { time_zone: "Africa/Dakar" }); // open 09:00–17:00 on weekdays
    const service = await aService(admin, org.id, { branch_id: branch.id, appointments_enabled: true, slot_minutes: 30, slot_capacity: 1 });
    const queue = await aQueue(admin, org.id, { branch_id: branch.id, service_id: service.id, policy: { max_recalls: 0 } });
    const counter = await aCounter(admin, queue.id);
    const agent = await anAgent(org.id);
    const status = async () => (await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access })).body.status;

    // The evening before: closed at 17:00. The morning: opened at 09:00, not before.
    assert.deepEqual(await job("queues.closeAtEndOfDay", { now: at(FRIDAY_BEFORE, "17:05"), organization_id: org.id }), { closed: 1, already_closed: 0 });
    assert.deepEqual(await job("queues.openAtStartOfDay", { now: at(DAY, "08:55"), organization_id: org.id }), { opened: 0, left: 0 });
    assert.equal(await status(), "closed");
    assert.deepEqual(await job("queues.openAtStartOfDay", { now: at(DAY, "09:00"), organization_id: org.id }), { opened: 1, left: 0 });
    assert.equal(await status(), "open");

    // Fatou books 10:00 and never comes.
    await generateSlots({ service_id: service.id, from: at(DAY, "00:00"), days: 1 });
    const fatou = await aCitizen();
    const booking = await anAppointment(fatou, slotAt(service, at(DAY, "10:00")));

    // Tickets: Amy from her phone, a kiosk ticket for nobody in particular, Bob who wants
    // one SMS when he is next, then Cheikh and Dior from their phones.
    const [amy, bob, cheikh, dior] = await Promise.all([aCitizen(), aCitizen(), aCitizen(), aCitizen()]);
    const tickets = {
      amy: await aTicket(amy, queue.id),
      kiosk: await aTicket(agent, queue.id, { channel: "kiosk" }),
      bob: await aTicket(bob, queue.id, { notify_near: { by: "position", within: 1, channels: ["sms"] } }),
      cheikh: await aTicket(cheikh, queue.id),
      dior: await aTicket(dior, queue.id),
    };
    const serveNext = async (expected: { id: string }) => {
      const called = await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counter }, { token: agent.access });
      assert.equal(called.body.id, expected.id, JSON.stringify(called.body));
      return called.body;
    };
    const step = async (ticket: { id: string }, action: string) => assert.equal((await post(`/api/queues/tickets/${ticket.id}/${action}/`, {}, { token: agent.access })).status, 200);
    for (const served of [tickets.amy, tickets.kiosk, tickets.bob]) {
      await serveNext(served);
      await step(served, "start");
      await step(served, "complete");
    }
    await serveNext(tickets.cheikh);
    await step(tickets.cheikh, "no-show");

    // 10:30: Fatou's booking is past its grace period.
    await job("appointments.sweep", { now: at(DAY, "10:30") });
    // 17:05: the queue closes by itself; Dior, still waiting, is expired.
    assert.deepEqual(await job("queues.closeAtEndOfDay", { now: at(DAY, "17:05"), organization_id: org.id }), { closed: 1, already_closed: 0 });
    assert.equal(await status(), "closed");

    // Every ticket's end, and the booking's.
    const endOf = async (ticket: { id: string }) => {
      const { status: s, reason } = (await get(`/api/queues/tickets/${ticket.id}/`, { token: admin.access })).body;
      return s === "expired" ? `${s}: ${reason}` : s;
    };
    assert.deepEqual(
      { amy: await endOf(tickets.amy), kiosk: await endOf(tickets.kiosk), bob: await endOf(tickets.bob), cheikh: await endOf(tickets.cheikh), dior: await endOf(tickets.dior) },
      { amy: "completed", kiosk: "completed", bob: "completed", cheikh: "no_show", dior: `expired: ${END_OF_DAY}` },
    );
    assert.equal((await get(appointmentPath(booking.id), { token: fatou.access })).body.status, "no_show");

    // Every message each citizen got. By default: "turn near" in the app at each new place
    // within the first three and one SMS; the call in the app and by SMS; once served, the
    // rating link in the app (RATING_LINK_CHANNELS: no SMS by default, it costs the office).
    // Bob chose one SMS when next, and got nothing else about his place.
    const expected: Array<[Session, string[]]> = [
      [amy, ["in_app ticket.called", "in_app ticket.served", "in_app turn_near 1", "sms ticket.called", "sms turn_near"]],
      [bob, ["in_app ticket.called", "in_app ticket.served", "sms ticket.called", "sms turn_near"]],
      [cheikh, ["in_app ticket.called", "in_app turn_near 1", "in_app turn_near 2", "in_app turn_near 3", "sms ticket.called", "sms turn_near"]],
      [dior, ["in_app turn_near 1", "in_app turn_near 2", "in_app turn_near 3", "sms turn_near"]],
      [fatou, []],
    ];
    for (const [citizen, messages] of expected) {
      // Notifications are sent behind the queue's answers: wait for as many as expected.
      const got = await eventually(() => messagesOf(citizen), (m) => m.length >= messages.length);
      assert.deepEqual(got, messages, `the messages of ${citizen.user.phone}`);
    }
  });
});
