// What bounds the tickets CSV export (load-tests/analytics-export.ts): the database's cost
// per document read, by how the rows are stored and how they are asked for. The same
// `rows` tickets of one organisation (plus a tenth as many of another) are stored three
// ways — one document of 21 fields per row, as the day views hold them; one document per
// row with the row as one JSON string; and `--pack` rows to a document, as JSON objects,
// as arrays of values or as CSV lines in one string — and each is read with a cursor,
// alone. For each read: rows per second, and the database's and this process's CPU per
// row (the database's from /proc). It answers "would bigger batches, a projection, an
// `_id` range or a packed layout make the export faster?" before anything is built.
// `node --import tsx load-tests/export-layouts.ts [rows=100000] [--pack 500] [--postgresql]`; JSON lines on stdout.
import os from "node:os";
import { parseArgs } from "node:util";
import type { Collection, Document } from "mongodb";
import { connectMongo } from "../mixins/db/connection.ts";
import { readAhead } from "../mixins/db/read-ahead.ts";
import { startDatabase } from "./lib/database.ts";
import { cpuSeconds } from "./lib/rig.ts";

const DAY = "2026-12-01";
const ORG = "6b0faea42d8cf028590c5000";
const OTHER = "6b0faea42d8cf028590c5001";
const QUEUE = "6b0faea42d8cf028590c50bd";
const INSERT_BATCH = 2000;

const aRow = (n: number, organizationId: string) => {
  const issued = Date.parse(`${DAY}T08:00:00Z`) + n * 50;
  return {
    _id: `${QUEUE}-${organizationId.slice(-4)}${n.toString(16).padStart(20, "0")}`, queue_id: QUEUE, organization_id: organizationId, branch_id: null,
    number: `A-${n}`, day: DAY, status: "completed", channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null,
    issued_at: issued, called_at: issued + 600_000, started_at: issued + 630_000, finished_at: issued + 900_000, counter_id: "c-1", recalls: 0,
    transferred_from: null, reason: null, seq: n,
  };
};
type Row = ReturnType<typeof aRow>;

const PACKINGS = {
  objects: { pack: (rows: Row[]) => JSON.stringify(rows), count: (text: string) => (JSON.parse(text) as unknown[]).length },
  values: { pack: (rows: Row[]) => JSON.stringify(rows.map((row) => Object.values(row))), count: (text: string) => (JSON.parse(text) as unknown[]).length },
  csv: { pack: (rows: Row[]) => rows.map((row) => Object.values(row).map((v) => v ?? "").join(",")).join("\n"), count: (text: string) => text.split("\n").length },
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { pack: { type: "string", default: "500" }, postgresql: { type: "boolean", default: false } } });
const rows = Number(positionals[0] ?? 100_000);
const pack = Number(values.pack);
const database = await startDatabase({ postgresql: values.postgresql });
const db = await connectMongo(database.url);
const out = (line: object) => console.log(JSON.stringify(line));
try {
  type Doc = { _id: string } & Document;
  const fields = db.collection<Doc>("rows_as_fields");
  const strings = db.collection<Doc>("rows_as_strings");
  const packed = Object.fromEntries(Object.keys(PACKINGS).map((name) => [name, db.collection<Doc>(`rows_packed_${name}`)])) as unknown as Record<keyof typeof PACKINGS, Collection<Doc>>;
  const filling = Date.now();
  for (const [count, organizationId] of [[rows, ORG], [Math.ceil(rows / 10), OTHER]] as const) {
    for (let from = 0; from < count; from += INSERT_BATCH) {
      const batch = Array.from({ length: Math.min(INSERT_BATCH, count - from) }, (_, k) => aRow(from + k, organizationId));
      await fields.insertMany(batch as never[], { ordered: false });
      await strings.insertMany(batch.map((row) => ({ _id: row._id, organization_id: row.organization_id, body: JSON.stringify(row) })) as never[], { ordered: false });
    }
    for (const [name, { pack: packRows }] of Object.entries(PACKINGS)) {
      const docs = [];
      for (let from = 0, chunk = 0; from < count; from += pack, chunk++) {
        const chunkRows = Array.from({ length: Math.min(pack, count - from) }, (_, k) => aRow(from + k, organizationId));
        docs.push({ _id: `${organizationId}:${chunk}`, organization_id: organizationId, rows: packRows(chunkRows) });
      }
      for (let i = 0; i < docs.length; i += 20) await packed[name as keyof typeof PACKINGS].insertMany(docs.slice(i, i + 20) as never[], { ordered: false });
    }
  }
  out({ backend: database.backend, cpus: os.cpus().length, load_average: os.loadavg(), rows, other_organisation_rows: Math.ceil(rows / 10), pack, fill_seconds: (Date.now() - filling) / 1000 });

  const measure = async (read: string, run: () => Promise<number>) => {
    const cpu = process.cpuUsage();
    const dbCpu = database.pid ? cpuSeconds(database.pid) : NaN;
    const started = performance.now();
    const count = await run();
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(cpu);
    const perRow = (s: number) => (Number.isNaN(s) ? null : Math.round((s * 1e6) / count));
    out({ read, rows: count, seconds: Math.round(seconds * 10) / 10, rows_per_second: Math.round(count / seconds), cpu_us_per_row: { database: perRow(database.pid ? cpuSeconds(database.pid) - dbCpu : NaN), node: perRow((own.user + own.system) / 1e6) } });
  };
  const counted = async (cursor: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _doc of cursor) n++;
    return n;
  };
  const idPrefix = `${QUEUE}-${ORG.slice(-4)}`;
  const reads: Record<string, () => Promise<number>> = {
    "fields, organisation filter, driver's default batches": () => counted(fields.find({ organization_id: ORG })),
    "fields, organisation filter, batches of 1,000": () => counted(fields.find({ organization_id: ORG }, { batchSize: 1000 })),
    "fields, organisation filter, batches of 1,000, read ahead": () => counted(readAhead(fields.find({ organization_id: ORG }, { batchSize: 1000 }))),
    "fields, organisation filter, batches of 20,000": () => counted(fields.find({ organization_id: ORG }, { batchSize: 20_000 })),
    "fields, no filter (both organisations), batches of 1,000": () => counted(fields.find({}, { batchSize: 1000 })),
    "fields, _id range of the organisation, batches of 1,000": () => counted(fields.find({ _id: { $gte: idPrefix, $lt: `${idPrefix}~` } }, { batchSize: 1000 })),
    "fields, organisation filter, projection of one field": () => counted(fields.find({ organization_id: ORG }, { batchSize: 1000, projection: { status: 1 } })),
    "one JSON string per row, organisation filter": () => counted(strings.find({ organization_id: ORG }, { batchSize: 1000 })),
    ...Object.fromEntries(
      Object.entries(PACKINGS).flatMap(([name, { count }]) => {
        const collection = packed[name as keyof typeof PACKINGS];
        return [
          [`${pack} rows a document as ${name}, organisation filter`, async () => {
            let n = 0;
            for await (const doc of collection.find({ organization_id: ORG }, { batchSize: 10 })) n += count(doc.rows as string);
            return n;
          }],
          [`${pack} rows a document as ${name}, by _id one after the other`, async () => {
            let n = 0;
            for (let chunk = 0; ; chunk++) {
              const doc = await collection.findOne({ _id: `${ORG}:${chunk}` });
              if (!doc) return n;
              n += count(doc.rows as string);
            }
          }],
        ];
      }),
    ),
  };
  for (const [read, run] of Object.entries(reads)) await measure(read, run);
} finally {
  await db.close();
  await database.stop();
}
process.exit(0);
