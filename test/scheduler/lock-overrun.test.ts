// A job that runs past its lock lifetime is taken for dead: Agenda cancels it on its own
// node and any node runs it again while the first call is still under way. The call's
// claim (jobs/call-action.ts) keeps the action to one call all the same.
import assert from "node:assert/strict";
import type { JobDefinition } from "../../services/scheduler/job-definition.ts";
import { runCall } from "../../services/scheduler/jobs/call-action.ts";
import { schedulerStore } from "../../services/scheduler/job-runs.ts";
import { system } from "../support/system.ts";
import { aKey, jobContext, schedulersOn, waitFor } from "./support.ts";

const LOCK_LIFETIME_MS = 600;

describe("scheduler: a job past its lock lifetime", () => {
  it("is run again by the nodes, and its action is called once", async () => {
    const { broker, db } = system().node;
    const key = aKey("overrun");
    const service = `overrun-${key}`;
    const calls: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The action outlives the job's lock until the test has seen the job run again.
    const callee = broker.createService({
      name: service,
      actions: { work: async () => { calls.push(key); await released; return { ok: true }; } },
    });
    let runs = 0;
    let running = 0;
    const outcomes: string[] = [];
    const def: JobDefinition = {
      name: `test.overrun-${key}`,
      lockLifetimeMs: LOCK_LIFETIME_MS,
      backoff: () => 100,
      async run(_job, ctx) {
        runs += 1;
        running += 1;
        try {
          outcomes.push(await runCall({ action: `${service}.work`, params: {}, idempotency_key: key }, ctx));
        } finally {
          running -= 1;
        }
      },
    };
    // A lock past its lifetime is found by a poll: polls half a second apart, not the default's seconds.
    const ctx = jobContext(broker, db);
    const nodes = schedulersOn([ctx, ctx], { ...system().config.scheduler, processEveryMs: 500 });
    try {
      for (const node of nodes) await node.start([def]);
      await nodes[0].schedule(def.name, new Date(), {}, key);
      await waitFor(async () => runs >= 3, 30_000, "the job to be run again after its lock lifetime");
      assert.equal(calls.length, 1, "the reruns found the call under way");
      release();
      await waitFor(async () => outcomes.includes("called") && running === 0, 30_000, "the call and every run to end");
      assert.deepEqual(outcomes.filter((o) => o === "called"), ["called"]);
      assert.equal((await schedulerStore(db).jobRuns.findById(key).lean())?.state, "done");
      assert.equal(calls.length, 1);
    } finally {
      release();
      for (const node of nodes) await node.stop();
      await broker.destroyService(callee);
    }
  });
});
