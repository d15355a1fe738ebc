// The office day: opening and closing times from the service's or branch's hours in the
// branch's time zone; each queue that opens by itself opened once a day from its opening
// time, unless closed by hand since; each queue past its closing time closed once that
// day, waiting tickets expired with the end-of-day reason.
import assert from "node:assert/strict";
import { DEFAULT_OPENING_HOURS } from "../../services/business/opening-hours.ts";
import { dayClosedAt, dayOpenAt, END_OF_DAY } from "../../services/queues/office-day.ts";
import { aBranch, aCitizen } from "../support/fixtures.ts";
import { get, post, put } from "../support/http.ts";
import { aQueue, aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";

const DAKAR = { opening_hours: DEFAULT_OPENING_HOURS, holidays: [] as string[], time_zone: "Africa/Dakar" };
/** Friday 11 January 2030, the days around it. */
const FRIDAY = "2030-01-11";
const THURSDAY = "2030-01-10";
const MONDAY = "2030-01-14";

const closeAtEndOfDay = (now: string, organizationId: string) =>
  system().node.broker.call<{ closed: number; already_closed: number }, object>("queues.closeAtEndOfDay", { now, organization_id: organizationId });
const openAtStartOfDay = (now: string, organizationId: string) =>
  system().node.broker.call<{ opened: number; left: number }, object>("queues.openAtStartOfDay", { now, organization_id: organizationId });

describe("queues: the office day", () => {
  describe("opening time", () => {
    it("is the open of the day's first interval, until the day's closing time, in the branch's time zone", () => {
      assert.equal(dayOpenAt(DAKAR, Date.parse(`${FRIDAY}T08:59:00Z`)), null);
      assert.deepEqual(dayOpenAt(DAKAR, Date.parse(`${FRIDAY}T09:00:00Z`)), { day: FRIDAY, opensAt: Date.parse(`${FRIDAY}T09:00:00Z`) });
      assert.equal(dayOpenAt(DAKAR, Date.parse(`${FRIDAY}T17:00:00Z`))?.day, undefined, "closed from 17:00");
      const split = { ...DAKAR, opening_hours: { ...DEFAULT_OPENING_HOURS, friday: [{ open: "14:00", close: "18:30" }, { open: "09:30", close: "12:00" }] } };
      assert.equal(dayOpenAt(split, Date.parse(`${FRIDAY}T09:30:00Z`))?.opensAt, Date.parse(`${FRIDAY}T09:30:00Z`));
      assert.equal(dayOpenAt(split, Date.parse(`${FRIDAY}T13:00:00Z`))?.day, FRIDAY, "the lunch break is still the office day");
      const newYork = { ...DAKAR, time_zone: "America/New_York" };
      assert.equal(dayOpenAt(newYork, Date.parse(`${FRIDAY}T13:59:00Z`)), null, "08:59 in New York");
      assert.equal(dayOpenAt(newYork, Date.parse(`${FRIDAY}T14:00:00Z`))?.day, FRIDAY, "09:00 in New York");
    });

  });

  describe("the start-of-day job's action", () => {
    it("opens a queue closed the evening before, from 09:00, once a day, and not on a day without hours", async () => {
      const { org, admin, queue } = await aRunningQueue();
      assert.equal(queue.opening, "automatic", "queues open by themselves unless told otherwise");
      assert.deepEqual(await closeAtEndOfDay(`${THURSDAY}T17:05:00Z`, org.id), { closed: 1, already_closed: 0 });
      assert.deepEqual(await openAtStartOfDay(`${FRIDAY}T08:55:00Z`, org.id), { opened: 0, left: 0 }, "not before 09:00");
      assert.deepEqual(await openAtStartOfDay(`${FRIDAY}T09:03:00Z`, org.id), { opened: 1, left: 0 });
      assert.equal((await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access })).body.status, "open");
      assert.deepEqual(await openAtStartOfDay(`${FRIDAY}T09:08:00Z`, org.id), { opened: 0, left: 0 }, "once a day");
      // Opened again the next office day.
      assert.deepEqual(await closeAtEndOfDay(`${FRIDAY}T17:05:00Z`, org.id), { closed: 1, already_closed: 0 });
      assert.deepEqual(await openAtStartOfDay("2030-01-12T10:00:00Z", org.id), { opened: 0, left: 0 }, "Saturday has no hours");
      assert.deepEqual(await openAtStartOfDay(`${MONDAY}T09:01:00Z`, org.id), { opened: 1, left: 0 });
    });

    it("leaves closed a queue an agent closed after that day's opening time", async () => {
      // A branch where it is about noon now, open all day every day: an agent's close,
      // stamped with the real clock, comes after the day's opening time.
      const { org, admin } = await aRunningQueue(0, { opening: "manual" });
      const timeZone = `Etc/GMT${12 - new Date().getUTCHours() >= 0 ? "-" : "+"}${Math.abs(12 - new Date().getUTCHours())}`;
      const allDay = Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => [d, [{ open: "00:00", close: "23:59" }]]));
      const branch = await aBranch(admin, org.id, { time_zone: timeZone, opening_hours: allDay });
      const queue = await aQueue(admin, org.id, { branch_id: branch.id, name: "Midi" });
      assert.equal((await post(`/api/queues/queues/${queue.id}/close/`, {}, { token: admin.access })).status, 200);
      assert.deepEqual(await openAtStartOfDay(new Date().toISOString(), org.id), { opened: 0, left: 1 });
      assert.equal((await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access })).body.status, "closed");
    });

    it("leaves a queue set to open by hand, and a queue an agent already opened", async () => {
      const { org, admin, queue } = await aRunningQueue(0, { opening: "manual" });
      assert.equal(queue.opening, "manual");
      assert.deepEqual(await closeAtEndOfDay(`${THURSDAY}T17:05:00Z`, org.id), { closed: 1, already_closed: 0 });
      assert.deepEqual(await openAtStartOfDay(`${FRIDAY}T09:03:00Z`, org.id), { opened: 0, left: 0 });
      assert.equal((await get(`/api/queues/queues/${queue.id}/status/`, { token: admin.access })).body.status, "closed");
      const changed = await put(`/api/queues/queues/${queue.id}/`, { opening: "automatic" }, { token: admin.access });
      assert.equal(changed.body.opening, "automatic");
      assert.equal((await post(`/api/queues/queues/${queue.id}/open/`, {}, { token: admin.access })).status, 200);
      assert.deepEqual(await openAtStartOfDay(`${FRIDAY}T09:10:00Z`, org.id), { opened: 0, left: 1 }, "already open: counted, left as it is");
    });

    it("refuses an opening mode it does not know, naming the field", async () => {
      const { org, admin } = await aRunningQueue(0);
      const refused = await post("/api/queues/queues/", { organization_id: org.id, name: "Caisse", prefix: "B", opening: "sometimes" }, { token: admin.access });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.details.fields[0].path, "body.opening");
    });
  });

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

  });

  it("neither opens nor closes on a day without hours: weekends and holidays", () => {
    for (const [step, at] of [[dayOpenAt, "10:00"], [dayClosedAt, "20:00"]] as const) {
      assert.equal(step(DAKAR, Date.parse(`2030-01-12T${at}:00Z`)), null, `Saturday (${step.name})`);
      assert.equal(step({ ...DAKAR, holidays: [FRIDAY] }, Date.parse(`${FRIDAY}T${at}:00Z`)), null, `a holiday (${step.name})`);
    }
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
