// "Leave now": told once, when the trip plus the margin reaches the wait until the call,
// by a clock the test moves.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import type { ArrivalShare } from "../../services/locations/arrival-shares.ts";
import { leaveNowDue } from "../../services/locations/leave-now.ts";
import { LeaveNowWatch, type LeaveNotice, type LeaveNowDeps } from "../../services/locations/leave-now-watch.ts";
import { locationsStore } from "../../services/locations/store.ts";
import type { TicketNow } from "../../services/locations/ticket-status.ts";
import { estimate } from "../../services/locations/travel.ts";
import { userLocations } from "../../services/locations/user-locations.ts";
import { aBranch, aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { eventually } from "../support/eventually.ts";
import { get, post } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";

const MINUTE = 60_000;
const waiting = (estimated_wait_ms: number, channel = "mobile", status = "waiting"): TicketNow => ({ number: "A-007", status, channel, estimated_wait_ms });

describe("when it is time to leave", () => {
  it("is when the trip plus the margin reaches the wait, for a remote ticket still waiting", () => {
    assert.equal(leaveNowDue(waiting(20 * MINUTE), 15 * 60, 5 * MINUTE), true);
    assert.equal(leaveNowDue(waiting(20 * MINUTE + 1), 15 * 60, 5 * MINUTE), false);
  });

  it("is never for a ticket taken at the office, or one no longer waiting", () => {
    for (const channel of ["kiosk", "agent"]) assert.equal(leaveNowDue(waiting(0, channel), 600, 0), false);
    assert.equal(leaveNowDue({ ...waiting(0, "mobile", "called"), estimated_wait_ms: null }, 600, 0), false);
  });
});

describe("the leave-now watch, by a controlled clock", function () {
  this.timeout(30_000);
  const START = new Date("2026-12-02T10:00:00Z").getTime();
  const HOME = { lat: 14.6937, lon: -17.4441 };
  const BRANCH = { lat: 14.7167, lon: -17.4677, name: "Agence Liberté" };
  const MARGIN = 5 * MINUTE;
  const RETENTION = 3600_000;
  /** When the engine expects to call the ticket. */
  const CALL_AT = START + 50 * MINUTE;
  /** The queue of this suite's shares: the engine knows no other, so a sweep leaves the run's other shares alone. */
  const QUEUE = new Types.ObjectId().toHexString();
  let clock: number;
  const now = () => new Date(clock);
  const store = () => locationsStore(system().node.db);

  function aWatch(ticket: (share: ArrivalShare) => TicketNow | null, notices: LeaveNotice[], notify?: LeaveNowDeps["notify"]) {
    return new LeaveNowWatch({
      store: store(), now, marginMs: MARGIN, retentionMs: RETENTION,
      ticketNow: async (share) => (share.queue_id === QUEUE ? ticket(share) : null),
      branchAt: async () => BRANCH,
      travelS: (from, to, mode, at) => estimate(from, to, mode, { at, reports: [], halfLifeMs: 1 }).duration_s,
      notify: notify ?? (async (notice) => void notices.push(notice)),
    });
  }
  /** The engine's estimate at the clock's time: the wait left until CALL_AT. */
  const engine = (channel = "mobile") => () => waiting(CALL_AT - clock, channel);

  async function aSharingCitizen(): Promise<{ userId: string; ticketId: string }> {
    const userId = new Types.ObjectId().toHexString();
    const ticketId = `${QUEUE}-${new Types.ObjectId().toHexString()}`;
    const share: ArrivalShare = { ticket_id: ticketId, queue_id: QUEUE, organization_id: "o", branch_id: "b", mode: "car", since: now() };
    await userLocations(store(), RETENTION, now).record(userId, { latitude: HOME.lat, longitude: HOME.lon }, share, async (kept) => kept);
    return { userId, ticketId };
  }
  /** The first instant the trip plus the margin reaches the wait left. */
  const moment = () => CALL_AT - MARGIN - estimate(HOME, BRANCH, "car", { at: new Date(START), reports: [], halfLifeMs: 1 }).duration_s * 1000;

  beforeEach(() => (clock = START));

  it("tells the citizen to leave at the moment the trip plus the margin reaches the wait, not a second before", async () => {
    const { userId, ticketId } = await aSharingCitizen();
    const notices: LeaveNotice[] = [];
    const watch = aWatch(engine(), notices);
    assert.deepEqual(await watch.check(userId), []);
    clock = moment() - 1000;
    assert.deepEqual(await watch.check(userId), []);
    clock = moment();
    assert.deepEqual(await watch.check(userId), [ticketId]);
    assert.equal(notices.length, 1);
    assert.deepEqual([notices[0]!.user_id, notices[0]!.event, notices[0]!.idempotency_key], [userId, "ticket.leave_now", `leave_now:${ticketId}`]);
    assert.equal(notices[0]!.data.branch, "Agence Liberté");
  });

  it("tells them once: not at a second check, a sweep, another node's check, nor two nodes checking at once", async () => {
    const first = await aSharingCitizen();
    const notices: LeaveNotice[] = [];
    const [here, there] = [aWatch(engine(), notices), aWatch(engine(), notices)];
    clock = moment();
    assert.deepEqual(await here.check(first.userId), [first.ticketId]);
    assert.deepEqual(await here.check(first.userId), []);
    assert.ok(!(await here.sweep()).told.includes(first.ticketId));
    assert.deepEqual(await there.check(first.userId), []);
    const second = await aSharingCitizen();
    const both = await Promise.all([here.check(second.userId), there.check(second.userId)]);
    assert.deepEqual(both.flat(), [second.ticketId]);
    assert.deepEqual(notices.map((n) => n.idempotency_key), [`leave_now:${first.ticketId}`, `leave_now:${second.ticketId}`]);
  });

  it("checks the citizens sharing a ticket of a queue when that queue changes, and only them", async () => {
    const { userId, ticketId } = await aSharingCitizen();
    const notices: LeaveNotice[] = [];
    const watch = aWatch(engine(), notices);
    // The sweep shows this node who shares a ticket of the queue; nothing is due yet.
    assert.ok(!(await watch.sweep()).told.includes(ticketId));
    clock = moment();
    assert.deepEqual(await watch.queueChanged(new Types.ObjectId().toHexString()), []);
    assert.deepEqual(await watch.queueChanged(QUEUE), [ticketId]);
    assert.deepEqual(notices.map((n) => n.user_id), [userId]);
  });

  it("tells nobody about a ticket taken at the office, nor once the citizen's points have expired", async () => {
    const notices: LeaveNotice[] = [];
    const atOffice = await aSharingCitizen();
    const gone = await aSharingCitizen();
    clock = moment();
    assert.deepEqual(await aWatch(engine("kiosk"), notices).check(atOffice.userId), []);
    clock = START + RETENTION;
    assert.deepEqual(await aWatch(() => waiting(0), notices).check(gone.userId), []);
    assert.equal(notices.length, 0);
  });

  it("sends at the next check a notice that could not be sent", async () => {
    const { userId, ticketId } = await aSharingCitizen();
    const notices: LeaveNotice[] = [];
    clock = moment();
    const failing = aWatch(engine(), notices, async () => {
      throw new Error("notifications unavailable");
    });
    await assert.rejects(failing.check(userId), /notifications unavailable/);
    assert.deepEqual(await aWatch(engine(), notices).check(userId), [ticketId]);
    assert.equal(notices.length, 1);
  });
});

describe("leave now through the running node", function () {
  this.timeout(60_000);

  it("notifies a citizen sharing their way to a remote ticket when the trip is longer than the wait, claimed under the ticket", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id, { name: "Agence Médina", latitude: 14.6833, longitude: -17.45 });
    const queue = await aQueue(admin, org.id, { branch_id: branch.id });
    await aCounter(admin, queue.id);
    const citizen = await aCitizen();
    const ticket = await aTicket(citizen, queue.id);
    assert.equal(ticket.channel, "mobile");
    // From Thiès, some 70 km away: far longer than the wait of the first in line.
    const shared = await post("/api/locations/user-locations/", { latitude: 14.791, longitude: -16.926, ticket_id: ticket.id }, { token: citizen.access });
    assert.equal(shared.status, 201, JSON.stringify(shared.body));
    const inbox = () => get("/api/notifications/notifications/?event=ticket.leave_now", { token: citizen.access });
    const told = await eventually(inbox, (reply) => reply.body.count >= 1, 20_000);
    assert.equal(told.body.count, 1);
    assert.match(told.body.results[0].body, new RegExp(ticket.number));
    // The claim that makes it once is the ticket's.
    await eventually(() => system().node.db.collection("location_leave_now").findOne({ _id: ticket.id as never }), (claim) => claim !== null);
  });
});
