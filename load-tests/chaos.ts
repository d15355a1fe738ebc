// Ownership chaos: several SmartQueue nodes over NATS share one database; citizens issue
// tickets and agents call them on many queues, through whichever nodes are up, while one
// node at a time is killed (SIGKILL), paused past the failure timeout (SIGSTOP, then
// SIGCONT) or restarted (SIGTERM), and now and then the database itself is stopped for 10 s
// (SIGSTOP): what clients are answered meanwhile is tallied, 503 with Retry-After
// expected. Every issue carries an Idempotency-Key and is sent again with it until answered, so at the end every client knows its ticket. Then the history
// checker (chaos/history-checker.ts) reads every client's history against the journal:
// found, lost, duplicated, unexpected; numbers unique and in order; no stale-epoch write.
// The failover time of each fault: from the fault until every queue the struck node owned
// answers its status again (asked of its owner, wherever that is now), probed every 100 ms
// through the nodes that are up. Prints JSON; exits 1 if the checker finds anything.
//
//   npm run chaos -- [minutes=10] [nodes=3] [queues=100]
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { startDatabase } from "./lib/database.ts";
import { freePort } from "../scripts/mongo-server.ts";
import { anAgent, anOffice, citizens, someQueues } from "./lib/fixtures.ts";
import { untilEveryQueueAnswers } from "./lib/failover.ts";
import { sleep } from "./lib/rig.ts";
import { startNode, type NodeProcess } from "./lib/system-under-test.ts";
import { checkHistory, type CallRecord, type IssueRecord } from "./chaos/history-checker.ts";
import { commitBodyOf } from "../actors/host/journal.ts";
import type { CommitDoc } from "../actors/host/store.ts";

const [minutes = 10, nodeCount = 3, queueCount = 100] = process.argv.slice(2).map(Number);
const NATS_PORT = await freePort();
const NATS_URL = `nats://127.0.0.1:${NATS_PORT}`;
const CLIENTS = 12;
const REQUEST_TIMEOUT_MS = 5000;
const PROBE_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = 2000;
const PROBE_GIVE_UP_MS = 60_000;
const FAULT_EVERY_MS = 8000;
const PAUSE_MS = 3000;
const DOWN_MS = 2000;

type Fault = "kill" | "pause" | "restart" | "database" | "nats";
const NATS_DOWN_MS = 3000;
const DATABASE_STOP_MS = 10_000;
interface Member {
  id: string;
  node: NodeProcess | null;
  up: boolean;
}

const log = (message: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const database = await startDatabase();
// A NATS of this run's own, so that restarting it (a fault below) touches nothing else.
let nats = startNats();
await sleep(500);
function startNats(): ChildProcess {
  return spawn("nats-server", ["-a", "127.0.0.1", "-p", String(NATS_PORT)], { stdio: "ignore" });
}
const namespace = `sq-chaos-${randomUUID().slice(0, 8)}`;
// The store timeout under the clients' own (REQUEST_TIMEOUT_MS), so that while the
// database is stopped they hear 503 store_busy before they give up.
const env = (id: string) => ({ NATS_URL, NAMESPACE: namespace, NODE_ID: id, SERVICES: "api,accounts,business,queues,live", STORE_TIMEOUT_MS: "2000" });
const members: Member[] = [];
for (let i = 1; i <= nodeCount; i++) members.push({ id: `chaos-${i}`, node: await startNode(database.url, env(`chaos-${i}`)), up: true });
const baseOf = (m: Member) => `http://127.0.0.1:${m.node!.port}`;
const anyUp = () => {
  const up = members.filter((m) => m.up);
  return up[Math.floor(Math.random() * up.length)]!;
};

/** Every answer clients got, to tally what they were told while the database was stopped. */
const answers: Array<{ at: number; status: number; retryAfter: boolean }> = [];

/** One request through some node that is up; null when it was not answered in time. */
async function send(method: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
  try {
    const res = await fetch(`${baseOf(anyUp())}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body: method === "GET" ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    answers.push({ at: Date.now(), status: res.status, retryAfter: res.headers.has("retry-after") });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return null;
  }
}

const first = baseOf(members[0]!);
const office = await anOffice(first, "Banque du chaos");
const agent = await anAgent(first, office);
const queues = (await someQueues(first, office, queueCount, { counters: 1 })).map(({ id, counters }) => ({ id, counter: counters[0]! }));
const tokens = await citizens(first, CLIENTS);
log(`${nodeCount} nodes, ${queueCount} queues, ${CLIENTS} clients, ${minutes} min`);

const issues: IssueRecord[] = [];
const calls: CallRecord[] = [];
let running = true;

async function issue(record: IssueRecord, token: string): Promise<boolean> {
  const reply = await send("POST", "/api/queues/tickets/", token, { queue_id: record.queueId }, { "idempotency-key": record.key });
  if (reply?.status !== 201) return false;
  record.ticket = { id: reply.body.id, number: reply.body.number };
  return true;
}

const citizen = async (n: number) => {
  for (let i = 0; running; i++) {
    const queue = queues[Math.floor(Math.random() * queues.length)]!;
    const record: IssueRecord = { key: `chaos-${n}-${i}`, queueId: queue.id, ticket: null };
    issues.push(record);
    await issue(record, tokens[n]!);
  }
};
const counterAgent = async () => {
  while (running) {
    const queue = queues[Math.floor(Math.random() * queues.length)]!;
    const reply = await send("POST", `/api/queues/queues/${queue.id}/call-next/`, agent, { counter_id: queue.counter });
    if (reply?.status !== 200) continue;
    calls.push({ queueId: queue.id, ticketId: reply.body.id });
    await send("POST", `/api/queues/tickets/${reply.body.id}/complete/`, agent, {});
  }
};

/** Which queues each node owned last, from the journal: the ones a fault on it stalls. */
const db = await mongoose.createConnection(database.url).asPromise();
const commits = db.collection<Pick<CommitDoc, "queue_id" | "seq" | "epoch" | "node_id" | "body">>("queue_commits");
async function ownedBy(nodeId: string): Promise<string[]> {
  const latest = new Map<string, { seq: number; node: string }>();
  for (const c of await commits.find({}, { projection: { queue_id: 1, seq: 1, node_id: 1 } }).toArray()) {
    const known = latest.get(c.queue_id);
    if (!known || c.seq > known.seq) latest.set(c.queue_id, { seq: c.seq, node: c.node_id });
  }
  return [...latest].filter(([, l]) => l.node === nodeId).map(([queueId]) => queueId);
}

/** Ms from `at` until every queue answers its status; null if one never did. */
function failover(queueIds: string[], at: number): Promise<number | null> {
  const answers = async (queueId: string) => (await send("GET", `/api/queues/queues/${queueId}/status/`, agent, undefined, {}, PROBE_TIMEOUT_MS))?.status === 200;
  return untilEveryQueueAnswers(queueIds, answers, at, PROBE_EVERY_MS, PROBE_GIVE_UP_MS);
}

const faults: Array<{ fault: Fault; node: string; queues: number; failover_ms: number | null }> = [];
/** Unanswered requests (the client gave up after REQUEST_TIMEOUT_MS) are not in the tally. */
const databaseStops: Array<{ answered_while_stopped: Record<string, number>; without_retry_after_503: number; recovered_after_ms: number | null }> = [];

/** The database stopped under load: what clients hear meanwhile, and how soon issues go through again. */
async function stopDatabase(pid: number) {
  log(`database stopped for ${DATABASE_STOP_MS} ms`);
  const stoppedAt = Date.now();
  process.kill(pid, "SIGSTOP");
  await sleep(DATABASE_STOP_MS);
  process.kill(pid, "SIGCONT");
  const resumedAt = Date.now();
  await sleep(PROBE_GIVE_UP_MS / 6);
  const during = answers.filter((a) => a.at >= stoppedAt && a.at <= resumedAt);
  const tally: Record<string, number> = {};
  for (const a of during) tally[a.status] = (tally[a.status] ?? 0) + 1;
  const recovered = answers.find((a) => a.at > resumedAt && (a.status === 201 || a.status === 200));
  databaseStops.push({
    answered_while_stopped: tally,
    without_retry_after_503: during.filter((a) => a.status === 503 && !a.retryAfter).length,
    recovered_after_ms: recovered ? recovered.at - resumedAt : null,
  });
}

/** NATS restarted under load: how soon every queue answers again through the nodes. */
async function restartNats() {
  log(`NATS restarted after ${NATS_DOWN_MS} ms down`);
  const at = Date.now();
  nats.kill("SIGKILL");
  await sleep(NATS_DOWN_MS);
  nats = startNats();
  natsRestarts.push({ answered_again_ms: await failover(queues.map((q) => q.id), at), nodes_alive: members.filter((m) => m.node?.process.exitCode === null).length });
}
const natsRestarts: Array<{ answered_again_ms: number | null; nodes_alive: number }> = [];

async function strike(fault: Fault, member: Member) {
  if (fault === "database") return database.pid ? stopDatabase(database.pid) : undefined;
  if (fault === "nats") return restartNats();
  const struck = await ownedBy(member.id);
  const at = Date.now();
  const child = member.node!.process;
  log(`${fault} ${member.id} (owns ${struck.length} queues)`);
  // Probed from the fault on, while the node is down or paused.
  const probed = sleep(PROBE_EVERY_MS).then(() => failover(struck, at));
  if (fault === "pause") {
    member.up = false;
    child.kill("SIGSTOP");
    await sleep(PAUSE_MS);
    child.kill("SIGCONT");
    member.up = true;
  } else {
    member.up = false;
    if (fault === "kill") child.kill("SIGKILL");
    await (fault === "kill" ? sleep(DOWN_MS) : member.node!.stop());
    member.node = await startNode(database.url, env(member.id));
    member.up = true;
  }
  faults.push({ fault, node: member.id, queues: struck.length, failover_ms: await probed });
}

const workers = [...Array.from({ length: CLIENTS }, (_, n) => citizen(n)), counterAgent(), counterAgent()];
const until = Date.now() + minutes * 60_000;
const kinds: Fault[] = ["kill", "pause", "restart", "database", "nats"];
for (let round = 0; Date.now() < until; round++) {
  await sleep(FAULT_EVERY_MS);
  if (Date.now() >= until) break;
  await strike(kinds[round % kinds.length]!, members[round % members.length]!);
}
running = false;
await Promise.all(workers);

// Every unanswered issue again with its key, until answered: at the end each client knows.
for (const record of issues.filter((i) => !i.ticket)) {
  for (let attempt = 0; attempt < 20 && !(await issue(record, tokens[Number(record.key.split("-")[1])]!)); attempt++) await sleep(250);
}
const journal = (await commits.find({ queue_id: { $in: queues.map((q) => q.id) } }, { projection: { queue_id: 1, seq: 1, epoch: 1, body: 1 } }).toArray()).map((doc) => ({ ...doc, events: commitBodyOf(doc).events }));
const report = checkHistory(issues, calls, journal);
const byFault = (kind: Fault) => faults.filter((f) => f.fault === kind).map((f) => f.failover_ms);
const median = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)]! : null;
};
const nodeFaults = kinds.filter((kind) => kind !== "database" && kind !== "nats");
const failovers = Object.fromEntries(nodeFaults.map((kind) => [kind, { median: median(byFault(kind)), max: Math.max(...byFault(kind).map((v) => v ?? Infinity)), runs: byFault(kind) }]));
const clean =
  report.ok &&
  databaseStops.every((s) => !s.answered_while_stopped["500"] && s.without_retry_after_503 === 0 && s.recovered_after_ms !== null) &&
  natsRestarts.every((r) => r.answered_again_ms !== null && r.nodes_alive === nodeCount);
console.log(JSON.stringify({ minutes, nodes: nodeCount, queues: queueCount, faults: faults.length, failover_ms: failovers, database_stops: databaseStops, nats_restarts: natsRestarts, ...report, ok: clean }, null, 2));

await db.close();
await Promise.all(members.map((m) => m.node?.stop()));
await database.stop();
nats.kill();
process.exit(clean ? 0 : 1);
