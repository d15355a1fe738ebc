// Stopping a scheduler lets the running job finish (its state saved, its lock released),
// or, past the stop timeout, hands back the job still running: unlocked, due at once.
import assert from "node:assert/strict";
import type { JobDefinition } from "../../services/scheduler/job-definition.ts";
import { JOBS_COLLECTION } from "../../services/scheduler/scheduler.ts";
import { system } from "../support/system.ts";
import { aKey, jobContext, schedulersOn, sleep, waitFor } from "./support.ts";

function aSlowJob(ms: number, log: string[]): JobDefinition {
  return {
    name: `test.slow-${aKey()}`,
    lockLifetimeMs: 60_000,
    async run() {
      log.push("started");
      await sleep(ms);
      log.push("finished");
    },
  };
}

async function startedWith(def: JobDefinition, stopTimeoutMs: number) {
  const { broker, db } = system().node;
  const [scheduler] = schedulersOn([jobContext(broker, db)], { ...system().config.scheduler, stopTimeoutMs });
  await scheduler.start([def]);
  const job = await scheduler.schedule(def.name, new Date(), {}, aKey());
  return { scheduler, job, jobs: db.collection(JOBS_COLLECTION) };
}

describe("scheduler: graceful stop", () => {
  it("lets a running job finish and saves it as done and unlocked", async () => {
    const log: string[] = [];
    const { scheduler, job, jobs } = await startedWith(aSlowJob(800, log), 5000);
    await waitFor(async () => log.includes("started"), 5000, "the job to start");
    await scheduler.stop();
    assert.deepEqual(log, ["started", "finished"]);
    const doc = await jobs.findOne({ name: job.name });
    assert.ok(doc?.lastFinishedAt, "the run is recorded");
    assert.equal(doc?.lockedAt ?? null, null);
  });

  it("releases the lock of a job still running when the stop timeout passes", async () => {
    const log: string[] = [];
    const { scheduler, job, jobs } = await startedWith(aSlowJob(2000, log), 200);
    await waitFor(async () => log.includes("started"), 5000, "the job to start");
    await scheduler.stop();
    assert.deepEqual(log, ["started"], "stop did not wait for the job");
    const doc = await jobs.findOne({ name: job.name });
    assert.equal(doc?.lockedAt ?? null, null, "another node may run it again at once");
    await waitFor(async () => log.includes("finished"), 10_000, "the abandoned run to end before the database goes away");
  });
});
