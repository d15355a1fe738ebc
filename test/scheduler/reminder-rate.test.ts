// Reminder-style load on two scheduler nodes sharing one database: one-off calls due at
// a steady rate are each made once in total (FerretDB cannot make Agenda's lock
// exclusive, so both nodes may run the same minute's dispatch) and never before due. How
// late they are is printed, not asserted: timing is a benchmark's question on shared
// machines (`npm run load:reminders`). The suite runs 1,000 a minute for 5 s;
// SCHEDULER_LOAD_PER_MINUTE and SCHEDULER_LOAD_SECONDS change it.
import assert from "node:assert/strict";
import { startExtraSystem, stopExtraSystem, system, type TestSystem } from "../support/system.ts";
import { aKey, pingsFor, schedulePing, waitFor } from "./support.ts";

const PER_MINUTE = Number(process.env.SCHEDULER_LOAD_PER_MINUTE ?? 1000);
const SECONDS = Number(process.env.SCHEDULER_LOAD_SECONDS ?? 5);

describe("scheduler: reminder rate", () => {
  let second: TestSystem | undefined;
  afterEach(() => stopExtraSystem(second));

  it(`makes each call once and never early, at ${PER_MINUTE} a minute on two nodes (${SECONDS} s of it)`, async function () {
    this.timeout((SECONDS + 90) * 1000);
    const main = system().node;
    second = await startExtraSystem({ SERVICES: "api,scheduler", NODE_ID: `scheduler-b-${process.pid}` });
    const other = second.node;
    const count = Math.round((PER_MINUTE * SECONDS) / 60);
    // Scheduling is not what is measured: leave it time enough.
    const start = Date.now() + Math.max(10_000, count * 40);
    const jobs = Array.from({ length: count }, (_, i) => ({ key: aKey("rate"), due: new Date(start + (i * SECONDS * 1000) / count) }));
    for (let i = 0; i < jobs.length; i += 50) {
      await Promise.all(jobs.slice(i, i + 50).map((j, k) => schedulePing(k % 2 ? main.broker : other.broker, j.key, j.due)));
    }
    assert.ok(Date.now() < start, "scheduling took longer than the lead time");
    const keys = jobs.map((j) => j.key);
    await waitFor(async () => (await pingsFor(main.db, keys)).length >= count, (SECONDS + 30) * 1000, "every call to be made");
    const dueOf = new Map(jobs.map((j) => [j.key, j.due.getTime()]));
    const pings = await pingsFor(main.db, keys);
    const byNode = new Map<string, number>();
    for (const p of pings) byNode.set(p.node_id, (byNode.get(p.node_id) ?? 0) + 1);
    const late = pings.map((p) => p.at.getTime() - dueOf.get(p.key)!).sort((a, b) => a - b);
    const pct = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))];
    console.log(`      ${count} calls due over ${SECONDS} s: ${pings.length} made (by node ${JSON.stringify(Object.fromEntries(byNode))}); ` +
      `after due p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${late[late.length - 1]} ms`);
    assert.deepEqual(pings.map((p) => p.key).sort(), [...keys].sort(), "each call made once");
    assert.ok(late[0] >= 0, `a call was made ${-late[0]} ms before due`);
  });
});
