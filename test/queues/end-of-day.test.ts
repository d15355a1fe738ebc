// The end of the office day: closing time from the service's or branch's hours in the
// branch's time zone; each queue past it closed once that day, waiting tickets expired
// with the end-of-day reason.
import assert from "node:assert/strict";
import { DEFAULT_OPENING_HOURS } from "../../services/business/opening-hours.ts";
import { dayClosedAt, END_OF_DAY } from "../../services/queues/end-of-day.ts";
import { aBranch, aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue, aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";

const DAKAR = { opening_hours: DEFAULT_OPENING_HOURS, holidays: [] as string[], time_zone: "Africa/Dakar" };
/** Friday 11 January 2030. */
const FRIDAY = "2030-01-11";

const closeAtEndOfDay = (now: string, organizationId: string) =>
  system().node.broker.call<{ closed: number; already_closed: number }, object>("queues.closeAtEndOfDay", { now, organization_id: organizationId });

describe("queues: end of day", () => {
  describe("closing time", () => {
    it("is the close of the day's last interval, in the branch's time zone", () => {
      assert.equal(dayClosedAt(DAKAR, Date.parse(`${FRIDAY}T16:59:00Z`)), null);
      assert.equal(dayClosedAt(DAKAR, Date.parse(`${FRIDAY}T17:00:00Z`)), FRIDAY);
      const newYork = { ...DAKAR, time_zone: "America/New_York" };
      assert.equal(dayClosedAt(newYork, Date.parse(`${FRIDAY}T21:59:00Z`)), null, "16:59 in New York");
      assert.equal(dayClosedAt(newYork, Date.parse(`${FRIDAY}T22:00:00Z`)), FRIDAY, "17:00 in New York");
    });

    it("takes the last of several intervals", () => {
      const split = { ...DAKAR, opening_hours: { ...DEFAULT_OPENING_HOURS, friday: [{ open: "14:00", close: "18:30" }, { open: "08:00", close: "12:00" }] } };
      assert.equal(dayClosedAt(split, Date.parse(`${FRIDAY}T13:00:00Z`)), null, "the lunch break is not the end of the day");
      assert.equal(dayClosedAt(split, Date.parse(`${FRIDAY}T18:30:00Z`)), FRIDAY);
    });

    it("never comes on a day without hours: weekends and holidays", () => {
      assert.equal(dayClosedAt(DAKAR, Date.parse("2030-01-12T20:00:00Z")), null, "Saturday");
      assert.equal(dayClosedAt({ ...DAKAR, holidays: [FRIDAY] }, Date.parse(`${FRIDAY}T20:00:00Z`)), null, "a holiday");
    });
  });

  describe("the job's action", () => {
    it("closes the queue once that day, expiring who still waits with the reason", async () => {
      const { org, admin, queue } = await aRunningQueue();
      const citizen = await aCitizen();
      const ticket = await aTicket(citizen, queue.id);
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T16:30:00Z`, org.id), { closed: 0, already_closed: 0 }, "still open at 16:30");
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T17:05:00Z`, org.id), { closed: 1, already_closed: 0 });
      const status = await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access });
      assert.equal(status.body.status, "closed");
      const expired = await get(`/api/queues/tickets/${ticket.id}/`, { token: citizen.access });
      assert.equal(expired.body.status, "expired");
      assert.equal(expired.body.reason, END_OF_DAY);
      // Reopened for late work the same evening: the next checks leave it open.
      assert.equal((await post(`/api/queues/queues/${queue.id}/open/`, {}, { token: admin.access })).status, 200);
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T17:10:00Z`, org.id), { closed: 0, already_closed: 0 });
      assert.equal((await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access })).body.status, "open");
    });

    it("follows the branch's hours and counts a queue already closed by hand", async () => {
      const { org, admin } = await aRunningQueue(0);
      const late = { friday: [{ open: "10:00", close: "19:00" }] };
      const branch = await aBranch(admin, org.id, { opening_hours: { ...DEFAULT_OPENING_HOURS, ...late } });
      const queue = await aQueue(admin, org.id, { branch_id: branch.id, name: "Tard" });
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T17:05:00Z`, org.id), { closed: 1, already_closed: 0 }, "only the queue without a branch");
      assert.equal((await post(`/api/queues/queues/${queue.id}/close/`, {}, { token: admin.access })).status, 200);
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T19:00:00Z`, org.id), { closed: 0, already_closed: 1 });
    });

    it("refuses bad parameters", async () => {
      await assert.rejects(system().node.broker.call("queues.closeAtEndOfDay", { now: "at five", organization_id: "x" }), (err: any) => {
        assert.equal(err.code, 400);
        return true;
      });
    });
  });
});
