// A job saved between two polls is announced to every scheduler node, and locked and run
// on time by one of them: polls can be seconds apart (job-announcements.ts).
import assert from "node:assert/strict";
import type { JobContext, JobDefinition } from "../../services/scheduler/job-definition.ts";
import { Scheduler } from "../../services/scheduler/scheduler.ts";
import { system } from "../support/system.ts";
import { aKey, jobContext, ON_TIME_MS, waitFor } from "./support.ts";

/** Polls a minute apart: within a test, only an announcement can bring a job in. */
const rarePolls = () => ({ ...system().config.scheduler, processEveryMs: 60_000 });

function aRecordedJob(runs: Array<{ by: JobContext; at: number }>): JobDefinition {
  return {
    name: `test.announced-${aKey()}`,
    lockLifetimeMs: 60_000,
    async run(_job, ctx) {
      runs.push({ by: ctx, at: Date.now() });
    },
  };
}

describe("scheduler: announced jobs", () => {
  const started: Scheduler[] = [];
  afterEach(async () => {
    for (const scheduler of started.splice(0)) await scheduler.stop();
  });

  it("runs a job saved after the last poll when it is due, on the node that saved it", async () => {
    const { broker, db } = system().node;
    const runs: Array<{ by: JobContext; at: number }> = [];
    const def = aRecordedJob(runs);
    const ctx = jobContext(broker, db);
    const scheduler: Scheduler = new Scheduler(rarePolls(), ctx, (saved) => void scheduler.heard(saved));
    started.push(scheduler);
    await scheduler.start([def]);
    const due = Date.now() + 300;
    await scheduler.schedule(def.name, new Date(due), {}, aKey());
    await waitFor(async () => runs.length > 0, ON_TIME_MS, "the announced job to run");
    assert.equal(runs.length, 1);
    assert.ok(runs[0]!.at >= due, "not before it is due");
  });

  it("runs a job another node saved, once that node announced it", async () => {
    const { broker, db } = system().node;
    const runs: Array<{ by: JobContext; at: number }> = [];
    const def = aRecordedJob(runs);
    const [savingCtx, hearingCtx] = [jobContext(broker, db), jobContext(broker, db)];
    // The saving node's announcement reaches the other node only; its own next poll is a minute away.
    const hearing = new Scheduler(rarePolls(), hearingCtx, () => undefined);
    const saving = new Scheduler(rarePolls(), savingCtx, (saved) => void hearing.heard(saved));
    started.push(saving, hearing);
    await saving.start([def]);
    await hearing.start([def]);
    await saving.schedule(def.name, new Date(), {}, aKey());
    await waitFor(async () => runs.length > 0, ON_TIME_MS, "the other node to run the job");
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.by, hearingCtx, "run by the node that heard of it");
  });
});
