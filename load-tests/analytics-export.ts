// The tickets CSV export (services/analytics/ticket-export.ts) over a large day: its rows
// per second and how far this process's memory grows while it streams (issue 14 asks a
// 1,000,000-row export for ≥ 50,000 rows/s with peak RSS growth ≤ 50 MB). One day's view
// is filled with `rows` rows of one organisation plus a tenth as many of another (which
// must not appear), then exported to a sink that only counts lines. The same rows are
// also read through a bare cursor (before the export), with no CSV made: how much of the
// export's time the database's cursor takes alone (where to look first to make it faster).
// `npx tsx load-tests/analytics-export.ts [rows=1000000]`; JSON on stdout.
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { connectMongo } from "../mixins/db/connection.ts";
import { dayCollectionName } from "../actors/host/ticket-views.ts";
import { ticketsCsv } from "../services/analytics/ticket-export.ts";
import { startDatabase } from "./lib/database.ts";

const DAY = "2026-12-01";
const ORG = "6b0faea42d8cf028590c5000";
const OTHER = "6b0faea42d8cf028590c5001";
const QUEUE = "6b0faea42d8cf028590c50bd";
const INSERT_BATCH = 2000;

const aRow = (n: number, organizationId: string) => {
  const issued = Date.parse(`${DAY}T08:00:00Z`) + n * 50;
  return {
    _id: `${QUEUE}-${organizationId.slice(-4)}${String(n).padStart(20, "0")}`, queue_id: QUEUE, organization_id: organizationId, branch_id: null,
    number: `A-${n}`, day: DAY, status: "completed", channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null,
    issued_at: issued, called_at: issued + 600_000, started_at: issued + 630_000, finished_at: issued + 900_000, counter_id: "c-1", recalls: 0,
    transferred_from: null, reason: null, seq: n,
  };
};

export async function exportOnce(rows: number) {
  const database = await startDatabase();
  const db = await connectMongo(database.url);
  try {
    const view = db.collection(dayCollectionName(DAY));
    const fill = async (count: number, organizationId: string) => {
      for (let n = 0; n < count; n += INSERT_BATCH) {
        await view.insertMany(Array.from({ length: Math.min(INSERT_BATCH, count - n) }, (_, k) => aRow(n + k, organizationId)) as never[], { ordered: false });
      }
    };
    const filling = Date.now();
    await fill(rows, ORG);
    await fill(Math.ceil(rows / 10), OTHER);
    const fillSeconds = (Date.now() - filling) / 1000;

    // First, so that the export is not the one that finds the server's caches cold.
    const cursorStarted = process.hrtime.bigint();
    let read = 0;
    for await (const _row of view.find({ organization_id: ORG }, { batchSize: INSERT_BATCH })) read++;
    const cursorSeconds = Number(process.hrtime.bigint() - cursorStarted) / 1e9;

    globalThis.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let lines = 0;
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) lines++;
        done();
      },
    });
    const started = process.hrtime.bigint();
    await pipeline(ticketsCsv(db, ORG, DAY, DAY), sink);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      rows, other_organisation_rows: Math.ceil(rows / 10), fill_seconds: fillSeconds,
      exported_rows: lines - 1, csv_mb: Math.round(bytes / 1e5) / 10,
      seconds: Math.round(seconds * 10) / 10, rows_per_second: Math.round((lines - 1) / seconds),
      peak_rss_growth_mb: Math.round((peak - baseline) / 1e5) / 10,
      cursor_alone_rows_per_second: Math.round(read / cursorSeconds),
    };
  } finally {
    await db.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await exportOnce(Number(process.argv[2] ?? 1_000_000)), null, 1));
  process.exit(0);
}
