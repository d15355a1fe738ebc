// Two scheduler nodes on one database (FerretDB cannot make Agenda's lock exclusive):
// every due call job is delivered once in total.
import assert from "node:assert/strict";
import { schedulerStore } from "../../services/scheduler/job-runs.ts";
import { startExtraSystem, system } from "../support/system.ts";
import { aKey, pingsFor, schedulePing, sleep, waitFor } from "./support.ts";

const JOBS = 40;

describe("scheduler: two nodes on one database", () => {
  it("calls each due job's target once in total", async function () {
    this.timeout(60_000);
    const main = system().node;
    // The second node learns the call: job name from the jobs already stored.
    await schedulePing(main.broker, aKey("warm-up"), new Date(Date.now() + 3600_000));
    const other = (await startExtraSystem({ SERVICES: "api,scheduler", NODE_ID: `scheduler-b-${process.pid}` })).node;
    const keys = Array.from({ length: JOBS }, () => aKey("two-nodes"));
    // Due 10 a second from 2 s on; each node schedules half of them.
    const start = Date.now() + 2000;
    const dueOf = new Map(keys.map((key, i) => [key, start + i * 100]));
    await Promise.all(keys.map((key, i) => schedulePing(i % 2 ? main.broker : other.broker, key, new Date(dueOf.get(key)!))));
    const scheduled = Date.now();
    const runs = schedulerStore(main.db).jobRuns;
    await waitFor(async () => (await runs.countDocuments({ _id: { $in: keys }, state: "done" })) === JOBS, 30_000, "every job to run");
    await sleep(1500); // a late duplicate would show up by now
    const pings = await pingsFor(main.db, keys);
    const byNode = new Map<string, number>();
    for (const p of pings) byNode.set(p.node_id, (byNode.get(p.node_id) ?? 0) + 1);
    const late = pings.map((p) => p.at.getTime() - dueOf.get(p.key)!).sort((a, b) => a - b);
    console.log(`      ${pings.length} calls for ${JOBS} jobs; by node: ${JSON.stringify(Object.fromEntries(byNode))}; ` +
      `after due: median ${late[late.length >> 1]} ms, max ${late[late.length - 1]} ms; scheduling took ${scheduled - start + 2000} ms`);
    assert.deepEqual(pings.map((p) => p.key).sort(), [...keys].sort());
  });
});
