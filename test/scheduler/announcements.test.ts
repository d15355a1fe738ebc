// No due job waits for a poll (job-announcements.ts): a job saved on a node is locked by
// that node at once, and what a stopping node hands back is run at once by the others.
// Polls here are a minute apart, so only those announcements can bring a job in within a
// test. On one node a name's fills follow one another (scripts/patch-agenda.sh), so a job
// runs once there; across nodes FerretDB's lock is not exclusive and a job may run on
// both, which every handler tolerates, so the two-node tests look for the second node's
// run, not for exactly one.
import assert from "node:assert/strict";
import type { JobContext, JobDefinition } from "../../services/scheduler/job-definition.ts";
import { JOBS_COLLECTION, type Scheduler } from "../../services/scheduler/scheduler.ts";
import { system } from "../support/system.ts";
import { aKey, jobContext, ON_TIME_MS, schedulersOn, waitFor } from "./support.ts";

const rarePolls = (stopTimeoutMs: number) => ({ ...system().config.scheduler, processEveryMs: 60_000, stopTimeoutMs });

/** One node on a context of its own. */
const oneNode = (stopTimeoutMs: number) => schedulersOn([jobContext(system().node.broker, system().node.db)], rarePolls(stopTimeoutMs))[0]!;

/** Two nodes, each with a context of its own, to tell who ran a job. */
function twoNodes(stopTimeoutMs: number) {
  const { broker, db } = system().node;
  const contexts = [jobContext(broker, db), jobContext(broker, db)] as const;
  const [first, second] = schedulersOn(contexts, rarePolls(stopTimeoutMs)) as [Scheduler, Scheduler];
  return { first, second, contexts };
}

/** A job whose runs on the first node wait for `release()`, then end as `onFirstNode` says; runs elsewhere end at once. */
function aJobHeldOnTheFirstNode(first: JobContext, onFirstNode: "finish" | "fail") {
  const runs: JobContext[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const def: JobDefinition = {
    name: `test.held-${aKey()}`,
    lockLifetimeMs: 60_000,
    backoff: () => 0,
    async run(_job, ctx) {
      runs.push(ctx);
      if (ctx !== first) return;
      await released;
      if (onFirstNode === "fail") throw new Error("interrupted by the stop");
    },
  };
  return { def, runs, release };
}

describe("scheduler: no due job waits for a poll", () => {
  const started: Scheduler[] = [];
  afterEach(async () => {
    for (const scheduler of started.splice(0)) await scheduler.stop();
  });

  it("runs a job saved after the last poll when it is due, on the node that saved it", async () => {
    const runs: number[] = [];
    const def: JobDefinition = { name: `test.saved-${aKey()}`, lockLifetimeMs: 60_000, run: async () => void runs.push(Date.now()) };
    const scheduler = oneNode(10_000);
    started.push(scheduler);
    await scheduler.start([def]);
    const due = Date.now() + 300;
    await scheduler.schedule(def.name, new Date(due), {}, aKey());
    await waitFor(async () => runs.length > 0, ON_TIME_MS, "the job to run");
    assert.ok(runs.every((at) => at >= due), "not before it is due");
  });

  it("runs each job once on its node, however many fills of its name meet", async () => {
    const runs: string[] = [];
    const def: JobDefinition<{ key: string }> = { name: `test.burst-${aKey()}`, lockLifetimeMs: 60_000, run: async (job) => void runs.push(job.attrs.data.key) };
    const scheduler = oneNode(10_000);
    started.push(scheduler);
    await scheduler.start([def as JobDefinition]);
    // Each save asks this node to fill the name's queue: twenty fills at once.
    const keys = Array.from({ length: 20 }, () => aKey());
    await Promise.all(keys.map((key) => scheduler.schedule(def.name, new Date(), {}, key)));
    await waitFor(async () => new Set(runs).size === keys.length, ON_TIME_MS, "every job to run");
    assert.equal(runs.length, keys.length, "no job ran twice");
  });

  it("has another node run at once a job a stopping node gave up waiting for", async () => {
    const { first, second, contexts } = twoNodes(100);
    started.push(first, second);
    const { def, runs, release } = aJobHeldOnTheFirstNode(contexts[0], "finish");
    await first.start([def]);
    const job = await first.schedule(def.name, new Date(), {}, aKey());
    await waitFor(async () => runs.length > 0, ON_TIME_MS, "the first node to run the job");
    await second.start([def]);
    // The stop waits 100 ms for the running job, then hands it back, due at once.
    await first.stop();
    const doc = await system().node.db.collection(JOBS_COLLECTION).findOne({ name: job.name });
    assert.ok(doc?.nextRunAt, "handed back due, so that a node runs it");
    await waitFor(async () => runs.includes(contexts[1]), ON_TIME_MS, "the second node to run it");
    release();
  });

  it("has another node make at once the retry of a run that failed as its node stopped", async () => {
    const { first, second, contexts } = twoNodes(10_000);
    started.push(first, second);
    const { def, runs, release } = aJobHeldOnTheFirstNode(contexts[0], "fail");
    await first.start([def]);
    await first.schedule(def.name, new Date(), {}, aKey());
    await waitFor(async () => runs.length > 0, ON_TIME_MS, "the first node to run the job");
    await second.start([def]);
    const stopped = first.stop();
    release();
    await stopped;
    await waitFor(async () => runs.includes(contexts[1]), ON_TIME_MS, "the second node to make the retry");
  });
});
