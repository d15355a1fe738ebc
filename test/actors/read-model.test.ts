// The tickets read model is written behind the answer, by projectors that may run late,
// retry, or belong to a node that has since lost the queue. Whatever order their writes
// land in, a row ends at the version the journal ends at, and never moves backwards; and
// so do its copies in the day and citizen views the lists read.
import assert from "node:assert/strict";
import fc from "fast-check";
import { Types, type Connection } from "mongoose";
import { supersedes, type RowChange } from "../../actors/host/read-model.ts";
import type { HostStore, TicketDoc } from "../../actors/host/store.ts";
import { endsOf, readTicketRow } from "../../actors/host/ticket-ends.ts";
import { backfillViews, dayCollectionName, dayEndsCollectionName, rowsOfDay } from "../../actors/host/ticket-views.ts";
import { packedDayRow } from "../../actors/host/day-rows.ts";
import { CITIZEN_TICKET_ENDS, CITIZEN_TICKETS, ticketsOfUser } from "../../actors/host/citizen-rows.ts";
import { ofOwner } from "../../mixins/db/owner-prefix.ts";
import { openHostStore, projectorOf } from "../support/host-store.ts";
import { assertReadFromIdIndex } from "../support/assertions.ts";

type Status = TicketDoc["status"];

function aRow(id: string, queueId: string, seq: number, status: Status, userId: string | null = null, transfers = 0): TicketDoc {
  return {
    _id: id, queue_id: queueId, seq, status, number: "A-001", day: "2026-12-01", channel: "kiosk", priority: "normal", user_id: userId,
    appointment_id: null, appointment_at: null, issued_at: 0, called_at: null, started_at: null, finished_at: null, counter_id: null,
    recalls: 0, transferred_from: null, reason: null, organization_id: "org-read-model", branch_id: null, ...(transfers && { transfers }),
  };
}

/** Two sequences merged in the order `fromFirst` gives (true: the next of `first`), each kept in its own order. */
function interleave<T>(first: T[], second: T[], fromFirst: boolean[]): T[] {
  const a = [...first];
  const b = [...second];
  const out: T[] = [];
  for (const pick of fromFirst) {
    const next = (pick && a.length) || !b.length ? a.shift() : b.shift();
    if (next !== undefined) out.push(next);
  }
  return [...out, ...a, ...b];
}

const STATUSES: Status[] = ["waiting", "called", "serving", "completed"];
/** One queue's versions of a ticket, seq 1..n, as an old and a new owner would both write some:
 * open (a recall repeats "called") until the last, which ends it. */
const versions = fc.integer({ min: 2, max: 10 }).map((n) => Array.from({ length: n }, (_, i) => ({ seq: i + 1, status: i === n - 1 ? "completed" : STATUSES[Math.min(i, 2)]! })));

describe("tickets read model", () => {
  let db: Connection;
  let store: HostStore;

  before(async () => ({ db, store } = await openHostStore()));
  after(() => db.close());

  const stored = async (id: string) => (await readTicketRow(store.tickets, id))!;
  const project = projectorOf(() => store);

  it("keeps the latest seq of a queue whatever order old and new owners' writes land in", async () => {
    await fc.assert(
      fc.asyncProperty(
        versions.chain((vs) => fc.tuple(fc.constant(vs), fc.shuffledSubarray(vs, { minLength: vs.length, maxLength: vs.length }), fc.array(fc.boolean(), { minLength: vs.length, maxLength: vs.length }))),
        async ([all, order, arrivals]) => {
          const id = new Types.ObjectId().toHexString();
          // Each write as its own projector batch; some claim to be arrivals (a replay inserts first).
          const userId = `citizen-${id}`;
          for (const [i, v] of order.entries()) await project([{ row: aRow(id, "q-1", v.seq, v.status, userId), arrived: arrivals[i]! }]);
          const last = [all.length, all[all.length - 1]!.status];
          const row = await stored(id);
          assert.deepEqual([row.seq, row.status], last);
          const ofDay = (await rowsOfDay(store, "2026-12-01", { organizationId: "org-read-model", queueId: "q-1" })).find((row) => row._id === id)!;
          assert.deepEqual([ofDay.seq, ofDay.status], last, "the day's view");
          const mine = (await ticketsOfUser(store, userId)).find((row) => row._id === id)!;
          assert.deepEqual([mine.seq, mine.status], last, "the citizen's view");
        },
      ),
      { numRuns: 25 },
    );
  });

  it("ends a ticket sent to another queue and back where the journals end, whatever order the two queues' writes land in", async () => {
    // Each queue's projector writes its own rows in seq order; the two queues' writes
    // interleave in any order (A → B → A: the ticket comes back after a refused transfer).
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), async (aSeq, bSeq, order) => {
        const id = new Types.ObjectId().toHexString();
        const from = (queueId: string, row: TicketDoc): TicketDoc => ({ ...row, transferred_from: queueId });
        const inA: RowChange[] = [
          { row: aRow(id, "q-a", aSeq, "waiting"), arrived: true },
          { row: aRow(id, "q-a", aSeq + 1, "transferred"), arrived: false },
          { row: from("q-b", aRow(id, "q-a", aSeq + 2, "waiting", null, 2)), arrived: true },
        ];
        const inB: RowChange[] = [
          { row: from("q-a", aRow(id, "q-b", bSeq, "waiting", null, 1)), arrived: true },
          { row: from("q-a", aRow(id, "q-b", bSeq + 1, "transferred", null, 1)), arrived: false },
        ];
        for (const write of interleave(inA, inB, order)) await project([write]);
        const row = await stored(id);
        assert.deepEqual([row.queue_id, row.seq, row.status, row.transfers], ["q-a", aSeq + 2, "waiting", 2]);
        // The day's views list it once, in the queue it is in now.
        const listed = async (queueId?: string) => (await rowsOfDay(store, "2026-12-01", { organizationId: "org-read-model", queueId })).filter((r) => r._id === id).map((r) => [r.queue_id, r.seq]);
        assert.deepEqual(await listed(), [["q-a", aSeq + 2]]);
        assert.deepEqual(await listed("q-a"), [["q-a", aSeq + 2]]);
        assert.deepEqual(await listed("q-b"), [], "no longer in the queue it left");
      }),
      { numRuns: 40 },
    );
  });

  it("lists a citizen's tickets of every day and month, and no other citizen's", async () => {
    const userId = `citizen-days-${new Types.ObjectId().toHexString()}`;
    const days = ["2026-11-02", "2026-11-20", "2026-12-01", "2026-11-25"];
    for (const day of days) await project([{ row: { ...aRow(new Types.ObjectId().toHexString(), "q-days", 1, "waiting", userId), day }, arrived: true }]);
    // Citizens whose ids start with this one's, and one whose id sorts just after it.
    for (const other of [`${userId}0`, `${userId}:x`, `${userId};`]) await project([{ row: aRow(new Types.ObjectId().toHexString(), "q-days", 1, "waiting", other), arrived: true }]);
    assert.deepEqual((await ticketsOfUser(store, userId)).map((row) => row.day).sort(), [...days].sort());
    // Read from the _id index, whatever the office's history (scripts/ferretdb-id-prefix-range.sed).
    for (const name of [CITIZEN_TICKETS, CITIZEN_TICKET_ENDS]) {
      await assertReadFromIdIndex(db.collection(name), ofOwner(new Types.ObjectId().toHexString()), name);
    }
  });

  it("keeps each ticket of a citizen in a row of its own, packed, its end appended beside it", async () => {
    const userId = `citizen-rows-${new Types.ObjectId().toHexString()}`;
    const ids = Array.from({ length: 5 }, () => new Types.ObjectId().toHexString());
    for (const id of ids) await project([{ row: aRow(id, "q-rows", 1, "waiting", userId), arrived: true }]);
    await project([{ row: aRow(ids[0]!, "q-rows", 2, "completed", userId), arrived: false }, { row: aRow(ids[1]!, "q-rows", 2, "called", userId), arrived: false }]);
    const stored = async (name: string) => db.collection<{ _id: string; row: unknown }>(name).find({ _id: { $in: ids.map((id) => `${userId.length}:${userId}:${id}`) } }).toArray();
    const [rows, ends] = await Promise.all([stored(CITIZEN_TICKETS), stored(CITIZEN_TICKET_ENDS)]);
    assert.equal(rows.length, ids.length, "one row per ticket");
    assert.deepEqual(ends.map((end) => end._id), [`${userId.length}:${userId}:${ids[0]}`], "the end appended");
    assert.ok([...rows, ...ends].every((doc) => typeof doc.row === "string"), "each row one JSON string");
    const mine = new Map((await ticketsOfUser(store, userId)).map((row) => [row._id, row]));
    assert.deepEqual(ids.map((id) => mine.get(id)?.status), ["completed", "called", "waiting", "waiting", "waiting"]);
    assert.deepEqual(mine.get(ids[1]!), aRow(ids[1]!, "q-rows", 2, "called", userId));
  });

  it("backfills the views of rows and ends written before the views existed", async () => {
    const organization = `org-backfill-${new Types.ObjectId().toHexString()}`;
    // A citizen's tickets of two days.
    const days = ["2026-11-30", "2026-12-01", "2026-12-01"];
    const rows = days.map((day, i) => ({ ...aRow(new Types.ObjectId().toHexString(), "q-old", i + 1, "waiting", "citizen-old"), organization_id: organization, day }));
    await store.tickets.insertMany(rows);
    // The first two ended since they arrived; the third is still open.
    await endsOf(store.tickets).insertMany(rows.slice(0, 2).map((row) => ({ ...row, seq: row.seq + 10, status: "completed" })));
    assert.equal(await backfillViews(store, { organization_id: organization }), 5, "3 rows and 2 ends");
    const statuses = async (day: string) => (await rowsOfDay(store, day, { organizationId: organization })).map((row) => row.status).sort();
    assert.deepEqual(await statuses("2026-12-01"), ["completed", "waiting"]);
    assert.deepEqual(await statuses("2026-11-30"), ["completed"]);
    const mine = new Map((await ticketsOfUser(store, "citizen-old")).map((row) => [row._id, row.status]));
    assert.deepEqual(rows.map((row) => mine.get(row._id)), ["completed", "completed", "waiting"]);
  });

  it("keeps a day's rows packed under their organisation, with what lists filter on beside, and reads one organisation's only", async () => {
    const organization = `org-packed-${new Types.ObjectId().toHexString()}`;
    // An organisation whose id the first one's starts with: its rows are not the first one's.
    const longer = `${organization}0`;
    const day = "2026-12-03";
    const [ended, waiting, elsewhere] = [organization, organization, longer].map((org) => ({ ...aRow(new Types.ObjectId().toHexString(), "q-packed", 1, "waiting", "citizen-packed"), organization_id: org, day }));
    await project([{ row: ended!, arrived: true }, { row: waiting!, arrived: true }, { row: elsewhere!, arrived: true }]);
    await project([{ row: { ...ended!, seq: 2, status: "completed", finished_at: 42 }, arrived: false }]);
    for (const name of [dayCollectionName(day), dayEndsCollectionName(day)]) {
      const stored = await db.collection(name).find({ organization_id: organization }).toArray();
      assert.ok(stored.length > 0, name);
      for (const doc of stored) {
        assert.deepEqual(Object.keys(doc).sort(), ["_id", "branch_id", "number", "organization_id", "packed", "queue_id", "user_id"], name);
        assert.ok(String(doc._id).startsWith(`${organization.length}:${organization}:`), `${name}: under the organisation's prefix`);
      }
    }
    const listed = new Map((await rowsOfDay(store, day, { organizationId: organization })).map((row) => [row._id, row]));
    assert.deepEqual(listed.get(ended!._id), { ...ended, seq: 2, status: "completed", finished_at: 42 });
    assert.deepEqual([listed.get(waiting!._id), listed.size], [waiting, 2]);
    assert.deepEqual([...(await rowsOfDay(store, day, { organizationId: longer })).map((row) => row._id)], [elsewhere!._id]);
    const everyone = new Set((await rowsOfDay(store, day, { organizationId: null })).map((row) => row._id));
    assert.ok([ended, waiting, elsewhere].every((row) => everyone.has(row!._id)), "every organisation's, with none named");
  });

  it("lists a ticket once, in its latest version, when a late write left it in the queue it left", async () => {
    const organization = `org-moved-${new Types.ObjectId().toHexString()}`;
    const [id, day] = [new Types.ObjectId().toHexString(), "2026-12-04"];
    await project([{ row: { ...aRow(id, "q-b", 1, "waiting", null, 1), transferred_from: "q-a", organization_id: organization, day }, arrived: true }]);
    // A node that lost q-a writes the ticket's row there after it moved.
    await db.collection(dayCollectionName(day)).insertOne(packedDayRow({ ...aRow(id, "q-a", 5, "transferred"), organization_id: organization, day }) as never);
    assert.deepEqual((await rowsOfDay(store, day, { organizationId: organization })).map((row) => [row.queue_id, row.status]), [["q-b", "waiting"]]);
  });

  it("lets a later seq of the same queue win, and never an earlier one", () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(100), fc.constantFrom(...STATUSES, "transferred" as Status), (a, b, status) => {
        const older = { queue_id: "q", seq: Math.min(a, b), status };
        const newer = { queue_id: "q", seq: Math.max(a, b) + 1, status };
        assert.equal(supersedes(newer, older), true);
        assert.equal(supersedes(older, newer), false);
        assert.equal(supersedes(older, null), true);
      }),
    );
  });
});
