// The rollup writer against the real database: batches written behind the events, a
// change heard again in a later batch counted once, a batch that failed written later.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { ensureIndexes } from "../../mixins/db/models.ts";
import { ROLLUPS_PER_WRITE, RollupWriter } from "../../services/analytics/rollup-writer.ts";
import { rollupId } from "../../services/analytics/rollup.ts";
import { servedBy } from "../../services/analytics/served.ts";
import { visitsOfDay } from "../../services/analytics/visits.ts";
import { analyticsStore, readRollup, type AnalyticsStore } from "../../services/analytics/store.ts";
import type { QueueChanged } from "../../services/events.ts";
import { mongoUrl } from "../support/system.ts";

const AT = Date.parse("2026-11-30T09:15:00Z");

/** A change of one issued ticket at version `version`. */
function issued(queueId: string, version: number, organizationId = "org-w"): QueueChanged {
  return {
    queue_id: queueId, organization_id: organizationId, branch_id: null, from_version: version, version,
    events: [{ type: "ticket.issued", queue_id: queueId, version, at: AT + version * 1000, ticket: { id: `${queueId}-${version}`, user_id: null, channel: "kiosk" } as never }],
    next: [], sent_at: AT + version * 1000,
  };
}

describe("the rollup writer", () => {
  let db: Connection;
  let store: AnalyticsStore;

  before(async () => {
    db = await connectMongo(mongoUrl());
    store = analyticsStore(db);
    await ensureIndexes(store);
  });
  after(() => db.close());

  const day = (queueId: string) => readRollup(store, rollupId(queueId, "2026-11-30"));
  const hour = (queueId: string) => readRollup(store, rollupId(queueId, "2026-11-30T09"));
  const aWriter = (s: AnalyticsStore = store, errors: unknown[] = []) => new RollupWriter(s, 60_000, 15 * 60_000, (err) => errors.push(err));

  it("writes nothing until it flushes, then the hour and the day", async () => {
    const queueId = `q-${randomUUID()}`;
    const writer = aWriter();
    writer.add(issued(queueId, 1));
    assert.equal(await day(queueId), null);
    await writer.flush();
    assert.deepEqual([(await day(queueId))?.issued, (await hour(queueId))?.issued, (await day(queueId))?.channels], [1, 1, { kiosk: 1 }]);
  });

  it("counts a change heard again in a later batch, or by another writer, once", async () => {
    const queueId = `q-${randomUUID()}`;
    const writer = aWriter();
    writer.add(issued(queueId, 1));
    await writer.flush();
    writer.add(issued(queueId, 1));
    writer.add(issued(queueId, 2));
    await writer.flush();
    const other = aWriter();
    other.add(issued(queueId, 2));
    await other.flush();
    const rollup = (await day(queueId))!;
    assert.deepEqual([rollup.issued, rollup.version], [2, 2]);
  });

  it("stores each rollup packed, one string, and counts on top of one written before packing, read as it is", async () => {
    const queueId = `q-${randomUUID()}`;
    const writer = aWriter();
    writer.add(issued(queueId, 1));
    await writer.flush();
    const stored = await store.rollups.collection.findOne({ _id: rollupId(queueId, "2026-11-30") as never });
    assert.deepEqual(Object.keys(stored!).sort(), ["_id", "body"]);
    // As this version wrote it before packing: the rollup's fields in the document.
    const unpacked = { ...(await day(queueId))!, issued: 5 };
    await store.rollups.collection.replaceOne({ _id: unpacked._id as never }, unpacked);
    assert.equal((await day(queueId))?.issued, 5);
    const later = aWriter();
    later.add(issued(queueId, 2));
    await later.flush();
    assert.deepEqual([(await day(queueId))?.issued, (await day(queueId))?.version], [6, 2]);
    assert.equal(typeof (await store.rollups.collection.findOne({ _id: unpacked._id as never }))?.body, "string");
  });

  /** The store with its rollups' reads by _id counted. */
  function countingReads(): { store: AnalyticsStore; reads: () => number } {
    let reads = 0;
    const rollups = new Proxy(store.rollups, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "findOne") return value;
        return (...args: unknown[]) => (reads++, (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    return { store: { ...store, rollups }, reads: () => reads };
  }

  it("does not read again a rollup it wrote while it counts the queue", async () => {
    const queueId = `q-${randomUUID()}`;
    const counted = countingReads();
    const writer = aWriter(counted.store);
    writer.add(issued(queueId, 1));
    await writer.flush();
    const afterFirst = counted.reads();
    writer.add(issued(queueId, 2));
    await writer.flush();
    assert.deepEqual([afterFirst, counted.reads()], [2, 2]);
    assert.deepEqual([(await day(queueId))?.issued, (await hour(queueId))?.issued], [2, 2]);
  });

  it("writes a batch of more rollups than one write takes, every one of them", async () => {
    const queueIds = Array.from({ length: ROLLUPS_PER_WRITE }, () => `q-${randomUUID()}`);
    const writer = aWriter();
    for (const queueId of queueIds) writer.add(issued(queueId, 1));
    await writer.flush();
    const written = await Promise.all(queueIds.flatMap((queueId) => [day(queueId), hour(queueId)]));
    assert.ok(written.every((rollup) => rollup?.issued === 1), "each queue's hour and day");
  });

  it("reads a queue's rollups again once told another node counts it", async () => {
    const queueId = `q-${randomUUID()}`;
    const writer = aWriter();
    writer.add(issued(queueId, 1));
    await writer.flush();
    const other = aWriter();
    other.add(issued(queueId, 2));
    await other.flush();
    writer.forget(queueId);
    writer.add(issued(queueId, 3));
    await writer.flush();
    assert.deepEqual([(await day(queueId))?.issued, (await day(queueId))?.version], [3, 3]);
  });

  it("keeps a batch whose write failed and writes it, once, at the next flush", async () => {
    const queueId = `q-${randomUUID()}`;
    let failures = 1;
    // The rollups are replaced through the driver's collection: its bulkWrite fails once.
    const collection = new Proxy(store.rollups.collection, {
      get(target, property, receiver) {
        if (property === "bulkWrite" && failures > 0) {
          return async () => {
            failures--;
            throw new Error("store down");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const rollups = new Proxy(store.rollups, {
      get: (target, property, receiver) => (property === "collection" ? collection : Reflect.get(target, property, receiver)),
    });
    const errors: unknown[] = [];
    const writer = aWriter({ ...store, rollups }, errors);
    writer.add(issued(queueId, 1));
    await writer.flush();
    assert.equal(errors.length, 1);
    assert.equal(await day(queueId), null);
    writer.add(issued(queueId, 2));
    await writer.flush();
    assert.equal((await day(queueId))!.issued, 2);
  });

  it("lists the series it counted under their organisation: the queue, and the counter and agent its events name", async () => {
    const queueId = `q-${randomUUID()}`;
    const organizationId = `org-${randomUUID()}`;
    const called = issued(queueId, 2, organizationId);
    called.events = [{ type: "ticket.called", queue_id: queueId, version: 2, at: AT + 2000, by: "agent-1", ticket: { id: `${queueId}-1`, user_id: null, counter_id: "c1", issued_at: AT + 1000, called_at: AT + 2000 } as never }];
    const writer = aWriter();
    writer.add(issued(queueId, 1, organizationId));
    writer.add(called);
    await writer.flush();
    const listed = await store.series.find({ organization_id: organizationId }).lean();
    assert.deepEqual(listed.map((s) => [s.kind, s.series, s.member_id]).sort(), [
      ["agent", `${queueId}/agent/agent-1`, "agent-1"],
      ["counter", `${queueId}/counter/c1`, "c1"],
      ["queue", queueId, null],
    ]);
    const counter = await readRollup(store, rollupId(`${queueId}/counter/c1`, "2026-11-30"));
    assert.deepEqual([counter?.called, counter?.issued, counter?.wait.sum_ms], [1, 0, 1000]);
  });

  it("records who served each ticket in the batch, before the mark, once however often the change is heard", async () => {
    const queueId = `q-${randomUUID()}`;
    const ticketId = `${queueId}-1`;
    const completed = issued(queueId, 3);
    completed.seq = 3;
    completed.events = [{ type: "ticket.completed", queue_id: queueId, version: 3, at: AT + 3000, by: "agent-7", ticket: { id: ticketId, day: "2026-11-30", user_id: null, counter_id: "c1", called_at: AT + 2000, finished_at: AT + 3000 } as never }];
    const writer = aWriter();
    writer.add(completed);
    assert.equal(await servedBy(db, ticketId, "2026-11-30"), null);
    await writer.flush();
    assert.equal(await servedBy(db, ticketId, "2026-11-30"), "agent-7");
    assert.equal((await store.marks.findById(queueId).lean())?.seq, 3);
    const again = aWriter();
    again.add({ ...completed, events: [{ ...completed.events[0]!, by: "agent-8" }] });
    await again.flush();
    assert.equal(await servedBy(db, ticketId, "2026-11-30"), "agent-7");
  });

  it("records the citizens' visits in the batch, before the mark", async () => {
    const queueId = `q-${randomUUID()}`;
    const change = issued(queueId, 1);
    change.seq = 1;
    change.events = [{ ...change.events[0]!, ticket: { id: `${queueId}-1`, user_id: "citizen-9", channel: "mobile" } as never }];
    const writer = aWriter();
    writer.add(change);
    assert.equal(await visitsOfDay(db, "2026-11-30").countDocuments({ queue_id: queueId }), 0);
    await writer.flush();
    const visit = await visitsOfDay(db, "2026-11-30").findById(`${queueId}:citizen-9`).lean();
    assert.deepEqual([visit?.user_id, visit?.organization_id, visit?.day], ["citizen-9", "org-w", "2026-11-30"]);
    assert.equal((await store.marks.findById(queueId).lean())?.seq, 1);
  });
});
