// What the embedded database spends per ticket row written, by the way it is written:
// inserted (as arrivals and ends are, ten to an insertMany), updated by _id with `$set` or
// replaced by _id (as a row written over would be), and updated with what it holds
// already. 10,000 rows in the collection first; the database on the server core, its CPU
// from /proc; medians of the rounds. Why ticket ends are appended (actors/host/ticket-ends.ts).
// `npm run load:row-writes -- [rounds=3]`; JSON on stdout.
import { MongoClient, type Collection } from "mongodb";
import type { TicketDoc } from "../actors/host/store.ts";
import { startDatabase } from "./lib/database.ts";
import { cpuSeconds } from "./lib/rig.ts";
import { figure } from "./lib/runs.ts";

const PER_WRITE = 10;
const WRITES = 100;
const PRESENT = 10_000;

const aRow = (n: number, status: "waiting" | "completed" = "waiting"): TicketDoc => ({
  _id: `6b0faea42d8cf028590c50bd-${String(n).padStart(24, "0")}`, queue_id: "6b0faea42d8cf028590c50bd", organization_id: "6b0faea42d8cf028590c50aa",
  branch_id: "6b0faea42d8cf028590c50ab", number: `A-${n}`, day: "2026-12-02", status, channel: "kiosk", priority: "normal", user_id: null,
  appointment_id: null, appointment_at: null, issued_at: 1796189860487 + n, called_at: status === "waiting" ? null : 1796189861000 + n,
  started_at: status === "waiting" ? null : 1796189862000 + n, finished_at: status === "waiting" ? null : 1796189869000 + n,
  counter_id: status === "waiting" ? null : "c-1", recalls: 0, transferred_from: null, transfers: 0, reason: null, seq: n,
});

/** Database CPU ms per row: `WRITES` writes of `PER_WRITE` rows each, 2 in flight. */
async function perRow(pid: number, write: (first: number) => Promise<unknown>): Promise<number> {
  const before = cpuSeconds(pid);
  let next = 0;
  await Promise.all(Array.from({ length: 2 }, async () => { while (next < WRITES) await write(PER_WRITE * next++); }));
  return Math.round(((cpuSeconds(pid) - before) * 1000 * 100) / (WRITES * PER_WRITE)) / 100;
}

const rowsFrom = (first: number, status: "waiting" | "completed" = "waiting") => Array.from({ length: PER_WRITE }, (_, i) => aRow(first + i, status));

async function round(pid: number, rows: Collection<TicketDoc>, base: number) {
  const fresh = async (offset: number) => {
    await rows.insertMany(Array.from({ length: WRITES * PER_WRITE }, (_, i) => aRow(base + offset + i)));
    return (first: number) => rowsFrom(base + offset + first, "completed");
  };
  const inserted = await perRow(pid, (first) => rows.insertMany(rowsFrom(base + first)));
  const setRows = await fresh(100_000);
  const set = await perRow(pid, (first) => rows.bulkWrite(setRows(first).map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields } } })), { ordered: false }));
  // The same rows again, now holding what is written: nothing changes.
  const unchanged = await perRow(pid, (first) => rows.bulkWrite(setRows(first).map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields } } })), { ordered: false }));
  const replaceRows = await fresh(200_000);
  const replaced = await perRow(pid, (first) => rows.bulkWrite(replaceRows(first).map((row) => ({ replaceOne: { filter: { _id: row._id }, replacement: row } })), { ordered: false }));
  return { insert: inserted, update_set: set, replace: replaced, update_unchanged: unchanged };
}

export async function rowWritesOnce(rounds: number) {
  const database = await startDatabase({ onServerCore: true });
  const client = await new MongoClient(database.url).connect();
  try {
    const rows = client.db().collection<TicketDoc>("rows");
    for (let n = 0; n < PRESENT; n += 1000) await rows.insertMany(Array.from({ length: 1000 }, (_, i) => aRow(n + i)));
    const results: Awaited<ReturnType<typeof round>>[] = [];
    for (let r = 0; r < rounds; r++) results.push(await round(database.pid!, rows, (r + 1) * 1_000_000));
    const keys = Object.keys(results[0]!) as Array<keyof (typeof results)[0]>;
    const medians = Object.fromEntries(keys.map((key) => [key, figure(results.map((x) => x[key]))]));
    return {
      rounds,
      rows_present: PRESENT,
      rows_per_write: PER_WRITE,
      database_cpu_ms_per_row: medians,
      update_over_insert: Math.round((medians.update_set!.median! / medians.insert!.median!) * 10) / 10,
    };
  } finally {
    await client.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await rowWritesOnce(Number(process.argv[2] ?? 3)), null, 1));
  process.exit(0);
}
