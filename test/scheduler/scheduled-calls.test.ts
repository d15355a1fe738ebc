// One-off `call:` jobs: fired on time, one job per key, one call per job even when the
// job runs again after a crash.
import assert from "node:assert/strict";
import { CALL_LEASE_MS, CallInProgress, runCall } from "../../services/scheduler/jobs/call-action.ts";
import { schedulerStore } from "../../services/scheduler/job-runs.ts";
import { Timetable, type TimetableCall } from "../../services/scheduler/timetable.ts";
import { system } from "../support/system.ts";
import { aKey, firstPing, jobContext, ON_TIME_MS, pingsFor, schedulePing, sleep } from "./support.ts";

describe("scheduler: scheduled calls", () => {
  it("calls a scheduled action at its due time", async () => {
    const { broker, db } = system().node;
    const jobs = [0, 1, 2].map((i) => ({ key: aKey("due"), due: new Date(Date.now() + 1500 + i * 300) }));
    for (const { key, due } of jobs) await schedulePing(broker, key, due);
    const delays = await Promise.all(jobs.map(async ({ key, due }) => {
      return (await firstPing(db, key)).at.getTime() - due.getTime();
    }));
    console.log(`      scheduled call fired ${delays.join(", ")} ms after its due time`);
    for (const d of delays) assert.ok(d >= 0 && d < ON_TIME_MS, `fired ${d} ms after due`);
  });

  it("makes on time a call entered just after the calls of its second were read", async () => {
    const { broker, db } = system().node;
    // A call now: its minute's dispatch job is running from here on, reading second by second.
    const warmUp = aKey("warm-up");
    await schedulePing(broker, warmUp, new Date(Date.now() + 800));
    await firstPing(db, warmUp);
    // 200 ms before a second starts, its calls were read 100 ms ago; this one is due 400 ms into it.
    await sleep(1000 - (Date.now() % 1000) + 800);
    const key = aKey("after-read");
    const due = Math.ceil(Date.now() / 1000) * 1000 + 400;
    await schedulePing(broker, key, new Date(due));
    const late = (await firstPing(db, key)).at.getTime() - due;
    assert.ok(late >= 0 && late < ON_TIME_MS, `made ${late} ms after due`);
  });

  it("makes one job for a key scheduled twice", async () => {
    const { broker, db } = system().node;
    const key = aKey("twice");
    const at = new Date(Date.now() + 3600_000);
    const first = await schedulePing(broker, key, at);
    const second = await schedulePing(broker, key, new Date(at.getTime() + 60_000));
    assert.deepEqual(second, first);
    assert.equal(await db.collection("scheduled_calls").countDocuments({ key }), 1);
  });

  it("answers the first job for a key scheduled again as fresh, and its second entry is skipped when due", async () => {
    const { broker, db } = system().node;
    const key = aKey("fresh-twice");
    const at = new Date(Date.now() + 3600_000);
    const first = await schedulePing(broker, key, at, true);
    const second = await schedulePing(broker, key, new Date(at.getTime() + 60_000), true);
    assert.deepEqual(second, first);
    const entries = await db.collection<TimetableCall>("scheduled_calls").find({ key }).toArray();
    assert.equal(entries.length, 2, "the second entry was made without reading the key");
    const timetable = new Timetable(db);
    assert.deepEqual(await Promise.all(entries.map((entry) => timetable.isHolder(entry))), entries.map((entry) => entry._id === (first as { id: string }).id));
  });

  it("calls the target once when a job runs again after a crash", async () => {
    const { broker, db } = system().node;
    const key = aKey("rerun");
    const data = { action: "scheduler.ping", params: { key }, idempotency_key: key };
    const ctx = jobContext(broker, db);
    assert.equal(await runCall(data, ctx), "called");
    assert.equal(await runCall(data, ctx), "already_done");
    assert.equal((await pingsFor(db, [key])).length, 1);
    assert.equal((await schedulerStore(db).jobRuns.findById(key).lean())?.state, "done");
  });

  it("calls again when the node holding the claim died mid-call, once", async () => {
    const { broker, db } = system().node;
    const key = aKey("dead-holder");
    const data = { action: "scheduler.ping", params: { key }, idempotency_key: key };
    const runs = schedulerStore(db).jobRuns;
    await runs.create({ _id: key, state: "calling", generation: 0, action: "scheduler.ping", node_id: "dead-node", claimed_at: new Date() });
    const ctx = jobContext(broker, db);
    await assert.rejects(runCall(data, ctx), CallInProgress);
    const later = () => Date.now() + CALL_LEASE_MS + 1000;
    assert.equal(await runCall(data, ctx, later), "called");
    assert.equal(await runCall(data, ctx, later), "already_done");
    assert.equal((await pingsFor(db, [key])).length, 1);
    assert.equal((await runs.findById(key).lean())?.state, "done");
  });

  it("refuses a call: job whose data names another action", async () => {
    const { broker } = system().node;
    await assert.rejects(
      broker.call("scheduler.schedule", { name: "call:scheduler.ping", at: new Date().toISOString(), data: { action: "queues.other", params: {} }, key: aKey() }),
      (err: { type?: string }) => err.type === "validation_failed",
    );
  });
});
