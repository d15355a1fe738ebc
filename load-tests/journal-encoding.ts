// What the embedded database spends on the journal's documents, stored as nested documents
// (as the journal was before) and packed as journal.ts writes them (a commit as one JSON
// string, a snapshot deflated), and on analytics' rollups, nested or packed as
// services/analytics/store.ts writes them:
// FerretDB keeps every nested field with its type and walks them all on each read and
// write. Measured on realistic documents: a commit of a call-next (the queue's state and
// one event), 5 to an insert as under load; a snapshot of a queue with 300 people waiting;
// an agent's hour with a wait sketch of 23 buckets, 10 to a bulkWrite as the writer sends them.
// The database runs on the server core; its CPU comes from /proc. Rounds alternate the two
// forms. `npm run load:journal-encoding -- [rounds=3]`; JSON on stdout.
import { MongoClient, type Collection } from "mongodb";
import { commitDoc, snapshotDoc } from "../actors/host/journal.ts";
import { initialState, type QueueEvent, type QueueState, type Ticket } from "../actors/queue/index.ts";
import { emptyFigures, type Rollup } from "../services/analytics/rollup.ts";
import { ROLLUPS_PER_WRITE } from "../services/analytics/rollup-writer.ts";
import { packedRollup } from "../services/analytics/store.ts";
import { startDatabase } from "./lib/database.ts";
import { cpuSeconds } from "./lib/rig.ts";
import { figure } from "./lib/runs.ts";

const QUEUE = "6b0faea42d8cf028590c50bd";
const OPS = { insert: 300, read: 500, snapshot: 30, rollups: 100 };

const aTicket = (n: number): Ticket => ({
  id: `${QUEUE}-${String(n).padStart(24, "0")}`, queue_id: QUEUE, number: `A-${n}`, day: "2026-12-02", issued_at: 1796189860487 + n, transferred_from: null,
  status: "waiting", called_at: null, started_at: null, finished_at: null, counter_id: null, recalls: 0, reason: null, channel: "kiosk", priority: "normal",
  user_id: null, appointment_id: null, appointment_at: null,
} as Ticket);

function aState(open: number): QueueState {
  const state = initialState({ queue_id: QUEUE, policy: { prefix: "A" } });
  return {
    ...state, status: "open", day: "2026-12-02", sequence: open, tickets: Array.from({ length: open }, (_, i) => aTicket(i)),
    counters: [{ id: "c-1", name: "Guichet 1", open: true, ticket_id: null }, { id: "c-2", name: "Guichet 2", open: true, ticket_id: null }],
    service_ms: { queue: 85, by_counter: { "c-1": 81, "c-2": 86 }, samples: 2 },
  };
}

const completed: QueueEvent = { type: "ticket.completed", queue_id: QUEUE, version: 307, at: 1796189864216, ticket: { ...aTicket(1), status: "completed", counter_id: "c-1" } } as QueueEvent;
const head = (seq: number) => ({ _id: `${QUEUE}:${seq}`, queue_id: QUEUE, seq, epoch: 1, node_id: "bench", committed_at: new Date() });
const packed = (seq: number) => commitDoc(head(seq), { state: aState(0), events: [completed] });
const nested = (seq: number) => {
  const { body, ...rest } = packed(seq);
  return { ...rest, ...JSON.parse(body) };
};

const anAgentHour = (n: number, version: number): Rollup => {
  const member = `6b1391a90d26b75803d9${String(n).padStart(4, "0")}`;
  const sketch = Object.fromEntries(Array.from({ length: 23 }, (_, b) => [String(b), 4 + ((b * 7 + n) % 30)]));
  return {
    ...emptyFigures(), _id: `${QUEUE}/agent/${member}:2026-12-05T04`, series: `${QUEUE}/agent/${member}`, kind: "agent", member_id: member, queue_id: QUEUE,
    organization_id: "6b1391a90d26b75803d9ce46", branch_id: "6b1391a90d26b75803d9ce49", period: "hour", start: "2026-12-05T04", version,
    called: 365, served: 365, served_within_target: 365, wait: { count: 365, sum_ms: 1_509_872, sketch }, service: { count: 365, sum_ms: 5162, sketch: { "0": 365 } },
  } as Rollup;
};

/** Database CPU ms per operation, 4 in flight. */
async function cost(pid: number, n: number, op: (i: number) => Promise<unknown>, inFlight = 4): Promise<number> {
  const before = cpuSeconds(pid);
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < n) await op(next++); }));
  return ((cpuSeconds(pid) - before) * 1000) / n;
}

async function round(pid: number, commits: Collection<any>, snapshots: Collection<any>, rollups: Collection<any>, form: "nested" | "packed", offset: number) {
  const doc = form === "packed" ? packed : nested;
  const bigState = aState(300);
  const snapshot = (i: number) => {
    const { _id, ...packedSnapshot } = snapshotDoc(`${form}-${i % 5}`, i, 1, bigState);
    return form === "packed" ? packedSnapshot : { seq: i, epoch: 1, state: bigState };
  };
  return {
    insert_5_commits: await cost(pid, OPS.insert, (i) => commits.insertMany(Array.from({ length: 5 }, (_, k) => doc(offset + i * 5 + k)))),
    read_commit_by_id: await cost(pid, OPS.read, (i) => commits.findOne({ _id: `${QUEUE}:${offset + i}` })),
    // One writer per snapshot, as the projector writes them.
    rewrite_300_ticket_snapshot: await cost(pid, OPS.snapshot, (i) => snapshots.replaceOne({ _id: `${form}-${i % 5}` }, snapshot(i), { upsert: true }), 1),
    // One writer, as the rollup writer; 50 rollups replaced in turn, each a new version.
    replace_10_rollups: await cost(pid, OPS.rollups, (i) => rollups.bulkWrite(Array.from({ length: ROLLUPS_PER_WRITE }, (_, k) => {
      const rollup = anAgentHour((i * ROLLUPS_PER_WRITE + k) % 50, offset + i + 1);
      return { replaceOne: { filter: { _id: rollup._id }, replacement: form === "packed" ? packedRollup(rollup) : rollup, upsert: true } };
    }), { ordered: false }), 1),
  };
}

export async function journalEncodingOnce(rounds: number) {
  const database = await startDatabase({ onServerCore: true });
  const client = await new MongoClient(database.url).connect();
  try {
    const db = client.db();
    const results = { nested: [] as Awaited<ReturnType<typeof round>>[], packed: [] as Awaited<ReturnType<typeof round>>[] };
    for (let r = 0; r < rounds; r++) {
      for (const form of ["nested", "packed"] as const) {
        results[form].push(await round(database.pid!, db.collection(`commits_${form}`), db.collection(`snapshots_${form}`), db.collection(`rollups_${form}`), form, r * OPS.insert * 5));
      }
    }
    const of = (form: "nested" | "packed", key: keyof Awaited<ReturnType<typeof round>>) => figure(results[form].map((x) => Math.round(x[key] * 100) / 100));
    const keys = Object.keys(results.packed[0]!) as Array<keyof Awaited<ReturnType<typeof round>>>;
    return {
      rounds,
      database_cpu_ms_per_operation: Object.fromEntries(keys.map((key) => [key, { nested: of("nested", key), packed: of("packed", key), ratio: Math.round((of("packed", key).median! / of("nested", key).median!) * 100) / 100 }])),
    };
  } finally {
    await client.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await journalEncodingOnce(Number(process.argv[2] ?? 3)), null, 1));
  process.exit(0);
}
