// A citizen's finished months are folded into one document per year, so that "my tickets"
// reads one document per year of history instead of one per month: the same tickets, in
// the same versions, whatever is folded, whenever, and however many folds run at once.
import assert from "node:assert/strict";
import type { LoggerInstance } from "moleculer";
import { Types, type Connection } from "mongoose";
import { foldFinishedMonths, MonthFolds } from "../../actors/host/closed-months.ts";
import type { HostStore, TicketDoc } from "../../actors/host/store.ts";
import { citizenDocs, partKey, ticketsOfUser } from "../../actors/host/ticket-views.ts";
import { openHostStore, projectorOf } from "../support/host-store.ts";

const NOW = Date.parse("2026-03-10T09:00:00Z");

function aRow(userId: string, day: string, status: TicketDoc["status"], seq = 1, id = new Types.ObjectId().toHexString()): TicketDoc {
  return {
    _id: `q-fold-${id}`, queue_id: "q-fold", seq, status, number: "A-001", day, channel: "mobile", priority: "normal", user_id: userId,
    appointment_id: null, appointment_at: null, issued_at: 0, called_at: null, started_at: null, finished_at: null, counter_id: null,
    recalls: 0, transferred_from: null, reason: null, organization_id: "org-fold", branch_id: null,
  };
}

describe("a citizen's finished months, folded into years", () => {
  let db: Connection;
  let store: HostStore;

  before(async () => ({ db, store } = await openHostStore()));
  after(() => db.close());

  const project = projectorOf(() => store);
  /** A ticket that arrived, and ended unless `open`. */
  const aTicket = async (userId: string, day: string, open = false) => {
    const arrived = aRow(userId, day, "waiting");
    await project([{ row: arrived, arrived: true }]);
    if (!open) await project([{ row: { ...arrived, seq: 2, status: "completed" }, arrived: false }]);
    return arrived._id;
  };
  const listed = async (userId: string) => (await citizenDocs(store).months.findOne({ _id: userId }))!.months;
  const mine = async (userId: string) => (await ticketsOfUser(store, userId)).map((row) => `${row._id} ${row.status}`).sort();
  const aCitizen = () => `citizen-fold-${new Types.ObjectId().toHexString()}`;

  it("lists the same tickets with one document per year for the months that are over and ended", async () => {
    const userId = aCitizen();
    for (const day of ["2025-11-03", "2025-11-28", "2025-12-15", "2026-01-02", "2026-02-27", "2026-03-09"]) await aTicket(userId, day);
    const before = await mine(userId);
    const entriesBefore = await listed(userId);

    const folded = await foldFinishedMonths(citizenDocs(store), userId, NOW);

    assert.deepEqual(folded.sort(), entriesBefore.filter((entry) => entry < "2026-03").sort(), "every month before March");
    assert.deepEqual((await listed(userId)).sort(), ["2025", "2026", ...entriesBefore.filter((entry) => entry >= "2026-03")].sort());
    assert.deepEqual(await mine(userId), before);
    const left = await citizenDocs(store).tickets.countDocuments({ _id: { $in: folded.map((entry) => `${userId}:${entry}`) } } as never);
    assert.equal(left, 0, "the months' documents are deleted");
    assert.deepEqual(await foldFinishedMonths(citizenDocs(store), userId, NOW), [], "nothing left to fold");

    // A month's end written again once folded (a replay), or read before the fold unlisted it: each ticket once.
    const [replayed] = (await ticketsOfUser(store, userId)).filter((row) => row.day === "2025-11-03");
    await citizenDocs(store).tickets.updateOne({ _id: `${userId}:2025-11:0` }, { $set: { [`ends.${replayed!._id}`]: replayed } }, { upsert: true });
    await citizenDocs(store).months.updateOne({ _id: userId }, { $addToSet: { months: "2025-11:0" } });
    assert.deepEqual(await mine(userId), before);
  });

  it("leaves a month with a ticket still open, and a month not over everywhere yet", async () => {
    const userId = aCitizen();
    await aTicket(userId, "2026-01-20");
    await aTicket(userId, "2026-01-31", true);
    await aTicket(userId, "2025-12-31");
    await aTicket(userId, "2026-02-28");
    const before = await mine(userId);

    // Two days after February's end: over in UTC, maybe not in every office's time zone.
    const folded = await foldFinishedMonths(citizenDocs(store), userId, Date.parse("2026-03-01T12:00:00Z"));

    assert.deepEqual(folded.map((entry) => entry.slice(0, 7)), ["2025-12"]);
    assert.ok((await listed(userId)).some((entry) => entry.startsWith("2026-01")), "January is still listed");
    assert.ok((await listed(userId)).some((entry) => entry.startsWith("2026-02")), "February is still listed");
    assert.deepEqual(await mine(userId), before);
  });

  it("lists a month again when a ticket of it is written after the fold (a read model days behind)", async () => {
    const userId = aCitizen();
    const folded = aRow(userId, "2026-01-10", "completed");
    await project([{ row: folded, arrived: true }]);
    await foldFinishedMonths(citizenDocs(store), userId, NOW);
    assert.deepEqual(await listed(userId), ["2026"]);

    // Filed in the part just folded, which this node remembers having listed.
    let late = aRow(userId, "2026-01-31", "completed");
    while (partKey(late) !== partKey(folded)) late = aRow(userId, "2026-01-31", "completed");
    await project([{ row: late, arrived: true }]);

    assert.deepEqual(await mine(userId), [`${folded._id} completed`, `${late._id} completed`].sort());
  });

  it("folds a month written whole before the parts, taking its tickets' later versions from their parts", async () => {
    const userId = aCitizen();
    const [whole, later] = [aRow(userId, "2025-10-10", "completed"), aRow(userId, "2025-10-12", "waiting")];
    await citizenDocs(store).tickets.insertOne({ _id: `${userId}:2025-10`, tickets: { [whole._id]: whole, [later._id]: later } } as never);
    await citizenDocs(store).months.insertOne({ _id: userId, months: ["2025-10"] } as never);
    await project([{ row: { ...later, seq: 2, status: "cancelled" }, arrived: false }]);
    const before = await mine(userId);
    assert.deepEqual(before, [`${whole._id} completed`, `${later._id} cancelled`].sort());

    await foldFinishedMonths(citizenDocs(store), userId, NOW);

    assert.deepEqual(await listed(userId), ["2025"]);
    assert.deepEqual(await mine(userId), before);
  });

  it("loses nothing when two folds of one citizen run at once", async () => {
    const userId = aCitizen();
    for (const day of ["2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01", "2026-01-05", "2026-02-05"]) await aTicket(userId, day);
    const before = await mine(userId);

    await Promise.all([foldFinishedMonths(citizenDocs(store), userId, NOW), foldFinishedMonths(citizenDocs(store), userId, NOW)]);

    assert.deepEqual((await listed(userId)).sort(), ["2025", "2026"]);
    assert.deepEqual(await mine(userId), before);
  });

  it("folds the citizens the projector offers, once a month each", async () => {
    const [first, second] = [aCitizen(), aCitizen()];
    for (const userId of [first, second]) {
      await aTicket(userId, "2025-12-01");
      await aTicket(userId, "2026-03-02");
    }
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as LoggerInstance;
    const folds = new MonthFolds(citizenDocs(store), logger, () => NOW);

    folds.offer([first!, second!]);
    await folds.idle();
    assert.ok(!(await listed(first!)).includes("2025-12") && (await listed(first!)).includes("2025"));
    assert.ok((await listed(second!)).includes("2025"));

    // Offered again this month: not read again, so a month written meanwhile waits for the next one.
    await citizenDocs(store).months.updateOne({ _id: first! }, { $addToSet: { months: "2025-11" } });
    folds.offer([first!]);
    await folds.idle();
    assert.ok((await listed(first!)).includes("2025-11"));
    assert.deepEqual(warnings, []);
    await folds.stop();
  });
});
