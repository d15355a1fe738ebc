// Reminder-style scheduled calls at a steady rate on two scheduler nodes sharing one
// database (MONGO_URL, or a FerretDB started here) and NATS: how late after its due time
// each call is made, and whether any is made twice or never. The target is 1,000 a minute,
// each within 1 s. Each run schedules its calls ahead, then waits for them; the target
// action is `scheduler.ping`, which records one row per call made. Prints JSON: each run
// and the medians.
//
//   npx tsx load-tests/reminders.ts [per-minute] [seconds] [runs]
import { randomUUID } from "node:crypto";
import { loadConfig } from "../config/index.ts";
import { freePort } from "../scripts/mongo-server.ts";
import { startNode, type SmartQueueNode } from "../services/node.ts";
import { schedulerStore } from "../services/scheduler/job-runs.ts";
import { NATS_URL } from "./lib/cluster.ts";
import { startDatabase } from "./lib/database.ts";
import { Latencies } from "./lib/latency.ts";

const PER_MINUTE = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 60);
const RUNS = Number(process.argv[4] ?? 3);

async function aNode(mongoUrl: string, namespace: string, id: string): Promise<SmartQueueNode> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "test",
    NODE_ID: id,
    NATS_URL,
    NAMESPACE: namespace,
    PORT: String(await freePort()),
    WS_PORT: String(await freePort()),
    METRICS_PORT: "0",
    LOG_LEVEL: "error",
    SERVICES: "scheduler",
  });
  return startNode(config, mongoUrl);
}

async function run(nodes: SmartQueueNode[]) {
  const count = Math.round((PER_MINUTE * SECONDS) / 60);
  const lead = Math.max(10_000, count * 20);
  const start = Date.now() + lead;
  const calls = Array.from({ length: count }, (_, i) => ({ key: `bench-${randomUUID()}`, due: start + (i * SECONDS * 1000) / count }));
  for (let i = 0; i < calls.length; i += 50) {
    await Promise.all(calls.slice(i, i + 50).map(({ key, due }, k) =>
      nodes[k % nodes.length].broker.call("scheduler.schedule", {
        name: "call:scheduler.ping", at: new Date(due).toISOString(), key, data: { action: "scheduler.ping", params: { key } },
      })));
  }
  if (Date.now() > start) throw new Error(`scheduling ${count} calls took longer than the ${lead} ms lead`);
  const pings = schedulerStore(nodes[0].db).pings;
  const keys = calls.map((c) => c.key);
  const deadline = start + SECONDS * 1000 + 120_000;
  while ((await pings.countDocuments({ key: { $in: keys } })) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  await new Promise((r) => setTimeout(r, 2000)); // a late duplicate would show by now
  const made = await pings.find({ key: { $in: keys } }).lean();
  const dueOf = new Map(calls.map((c) => [c.key, c.due]));
  const late = made.map((p) => p.at.getTime() - dueOf.get(p.key)!);
  const lateness = new Latencies();
  for (const ms of late) lateness.add(ms);
  const byNode: Record<string, number> = {};
  for (const p of made) byNode[p.node_id] = (byNode[p.node_id] ?? 0) + 1;
  return {
    calls: count,
    made: made.length,
    never_made: count - new Set(made.map((p) => p.key)).size,
    made_twice: made.length - new Set(made.map((p) => p.key)).size,
    by_node: byNode,
    after_due: lateness.summary(),
    made_early: late.filter((l) => l < 0).length,
    within_1s: late.filter((l) => l >= 0 && l < 1000).length,
  };
}

const database = await startDatabase();
const namespace = `reminders-${process.pid}`;
const nodes = [await aNode(database.url, namespace, "scheduler-a"), await aNode(database.url, namespace, "scheduler-b")];
try {
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await run(nodes));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(JSON.stringify({
    benchmark: "reminders",
    per_minute: PER_MINUTE,
    seconds: SECONDS,
    nodes: nodes.length,
    database: process.env.MONGO_URL ? "MONGO_URL" : "started here",
    median_after_due_ms: {
      p50: median(runs.map((r) => r.after_due.p50_ms ?? NaN)),
      p99: median(runs.map((r) => r.after_due.p99_ms ?? NaN)),
      max: median(runs.map((r) => r.after_due.max_ms ?? NaN)),
    },
    runs,
    node: process.version,
  }, null, 2));
} finally {
  for (const node of nodes) await node.stop();
  await database.stop();
}
