// The tickets CSV export (services/analytics/ticket-export.ts) over a large day: its rows
// per second and how far this process's memory grows while it streams (issue 14 asks a
// 1,000,000-row export for ≥ 50,000 rows/s with peak RSS growth ≤ 50 MB).
//
// One day's views are filled as the projector leaves them at the end of a day: `rows`
// tickets of one organisation plus a tenth as many of another (which must not appear).
// A share of them (`--ended`, default 0.9) ended after their arrival was projected: their
// row in `tickets_by_org_day_*` is the arrival (waiting) and their end is in `tickets_by_org_day_*_ends`,
// each stored as the projector stores it (actors/host/day-rows.ts);
// the others were projected with their end, as one row. So the export reads about
// (1 + ended) documents per row and must put each end over its arrival: a line that still
// says "waiting" is a ticket not shown as it ended (counted, must be 0).
//
// The phases, each skippable with --skip (a million rows take minutes in each but the last):
// - cursor: the same documents read through a bare cursor (both collections, the export's
//   filter and batch size, read a batch ahead as the export reads them, nothing made of
//   them): what the database alone allows;
// - views: the export read from the day's views, as for a day not packed yet;
// - pack: the day packed for the export, as the scheduled pass does (actors/host/day-packs.ts);
// - packs: the export read from those packs, as for any closed day once packed; its CSV
//   must be the views export's, byte for byte (compared by digest when both ran).
// For each phase, the CPU seconds of the database process (from /proc, when it runs here)
// and of this process: where the time goes.
//
// `node --expose-gc --import tsx load-tests/analytics-export.ts [rows=1000000] [--ended 0.9]
// [--skip cursor,views] [--postgresql] [--live-memory]` (--postgresql: FerretDB on the
// local PostgreSQL instead of SQLite; --live-memory: a second export of each kind that
// measures what it keeps alive, see liveGrowth); JSON on stdout.
import { createHash } from "node:crypto";
import os from "node:os";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { connectMongo } from "../mixins/db/connection.ts";
import { readAhead } from "../mixins/db/read-ahead.ts";
import { packDay } from "../actors/host/day-packs.ts";
import { packedDayRow } from "../actors/host/day-rows.ts";
import type { TicketDoc } from "../actors/host/store.ts";
import { dayCollectionName, dayEndsCollectionName } from "../actors/host/ticket-views.ts";
import { ofOwner } from "../mixins/db/owner-prefix.ts";
import { csvLines, CURSOR_BATCH, ticketsCsv } from "../services/analytics/ticket-export.ts";
import { startDatabase } from "./lib/database.ts";
import { cpuSeconds, round } from "./lib/rig.ts";

/** A closed day, so that it may be packed (packableDay). */
const DAY = "2026-11-01";
const ORG = "6b0faea42d8cf028590c5000";
const OTHER = "6b0faea42d8cf028590c5001";
const QUEUE = "6b0faea42d8cf028590c50bd";
const INSERT_BATCH = 2000;

/** Ticket n of an organisation: "<queue>-<24 hex digits>", like services/queues/ticket-ids.ts. */
const ticketId = (n: number, organizationId: string) => `${QUEUE}-${organizationId.slice(-4)}${n.toString(16).padStart(20, "0")}`;

const arrival = (n: number, organizationId: string): TicketDoc => {
  const issued = Date.parse(`${DAY}T08:00:00Z`) + n * 50;
  return {
    _id: ticketId(n, organizationId), queue_id: QUEUE, organization_id: organizationId, branch_id: null,
    number: `A-${n}`, day: DAY, status: "waiting", channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null,
    issued_at: issued, called_at: null, started_at: null, finished_at: null, counter_id: null, recalls: 0,
    transferred_from: null, reason: null, seq: 2 * n + 1,
  };
};

const ending = (n: number, organizationId: string): TicketDoc => {
  const row = arrival(n, organizationId);
  return { ...row, status: "completed", called_at: row.issued_at + 600_000, started_at: row.issued_at + 630_000, finished_at: row.issued_at + 900_000, counter_id: "c-1", seq: 2 * n + 2 };
};

/** Megabytes and seconds are reported to a tenth. */
const tenths = (value: number) => round(value, 1);

/**
 * What an export keeps alive, apart from what the collector has not yet reclaimed: a second
 * export with a full collection forced every 500 ms, the largest growth of heap used plus
 * array buffers (the driver's batches, the ended ids' blocks) over the baseline. Timing is
 * not measured in this pass. Needs --expose-gc.
 */
async function liveGrowth(run: () => Promise<unknown>): Promise<number | null> {
  const gc = globalThis.gc;
  if (!gc) return null;
  const used = () => {
    const memory = process.memoryUsage();
    return memory.heapUsed + memory.arrayBuffers;
  };
  gc();
  const baseline = used();
  let peak = baseline;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, used());
  }, 500);
  await run();
  clearInterval(sampler);
  return tenths((peak - baseline) / 1e6);
}

export const PHASES = ["cursor", "views", "pack", "packs"] as const;
type Phase = (typeof PHASES)[number];

export async function exportOnce(rows: number, { endedShare = 0.9, postgresql = false, liveMemory = false, skip = [] as Phase[] } = {}) {
  const database = await startDatabase({ postgresql });
  const db = await connectMongo(database.url);
  const load = { before: os.loadavg().map((l) => round(l, 2)), after: [] as number[] };
  try {
    const view = db.collection<{ _id: string }>(dayCollectionName(DAY));
    const ends = db.collection<{ _id: string }>(dayEndsCollectionName(DAY));
    /** Ticket n ended apart from its arrival: `endedShare` of each hundred. */
    const endedApart = (n: number) => n % 100 < endedShare * 100;
    // Counted here: a count on FerretDB decodes every document, as a find does.
    let [dayDocuments, endDocuments] = [0, 0];
    const fill = async (count: number, organizationId: string) => {
      for (let from = 0; from < count; from += INSERT_BATCH) {
        const numbers = Array.from({ length: Math.min(INSERT_BATCH, count - from) }, (_, k) => from + k);
        const apart = numbers.filter(endedApart);
        await view.insertMany(numbers.map((n) => packedDayRow(endedApart(n) ? arrival(n, organizationId) : ending(n, organizationId))) as never[], { ordered: false });
        if (apart.length) await ends.insertMany(apart.map((n) => packedDayRow(ending(n, organizationId))) as never[], { ordered: false });
        dayDocuments += numbers.length;
        endDocuments += apart.length;
      }
    };
    const filling = Date.now();
    await fill(rows, ORG);
    await fill(Math.ceil(rows / 10), OTHER);
    const fillSeconds = (Date.now() - filling) / 1000;

    const meter = () => {
      const cpu = process.cpuUsage();
      const dbCpu = database.pid ? cpuSeconds(database.pid) : NaN;
      const started = process.hrtime.bigint();
      return () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const own = process.cpuUsage(cpu);
        return { seconds, nodeCpu: (own.user + own.system) / 1e6, dbCpu: database.pid ? cpuSeconds(database.pid) - dbCpu : NaN };
      };
    };

    const perRow = (cpu: number, count: number) => (Number.isNaN(cpu) ? null : Math.round((cpu * 1e6) / count));
    const runs = (phase: Phase) => !skip.includes(phase);

    /** One export into a sink that counts lines, bytes and tickets still "waiting", and digests the CSV. */
    const exportPhase = async () => {
      globalThis.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      let [lines, bytes, waiting] = [0, 0, 0];
      const digest = createHash("sha256");
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          digest.update(chunk);
          for (const byte of chunk) if (byte === 10) lines++;
          for (let at = chunk.indexOf(",waiting,"); at >= 0; at = chunk.indexOf(",waiting,", at + 1)) waiting++;
          done();
        },
      });
      const exportMeter = meter();
      await pipeline(ticketsCsv(db, ORG, DAY, DAY), sink);
      const exported = exportMeter();
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const live = liveMemory ? await liveGrowth(() => pipeline(ticketsCsv(db, ORG, DAY, DAY), new Writable({ write: (_chunk, _encoding, done) => done() }))) : null;
      return {
        exported_rows: lines - 1, rows_not_shown_as_ended: waiting, csv_mb: tenths(bytes / 1e6), sha256: digest.digest("hex").slice(0, 16),
        seconds: tenths(exported.seconds), rows_per_second: Math.round((lines - 1) / exported.seconds),
        peak_rss_growth_mb: tenths((peak - baseline) / 1e6),
        ...(live ? { live_memory_growth_mb: live } : {}),
        cpu_us_per_row: { database: perRow(exported.dbCpu, lines - 1), node: perRow(exported.nodeCpu, lines - 1) },
      };
    };

    // First, so that the export is not the one that finds the server's caches cold.
    let cursorAlone = null;
    if (runs("cursor")) {
      const cursorMeter = meter();
      let documents = 0;
      for (const collection of [ends, view]) for await (const _doc of readAhead(collection.find(ofOwner(ORG), { batchSize: CURSOR_BATCH }))) documents++;
      const cursor = cursorMeter();
      cursorAlone = {
        documents, seconds: tenths(cursor.seconds),
        documents_per_second: Math.round(documents / cursor.seconds), rows_per_second: Math.round(rows / cursor.seconds),
        cpu_us_per_document: { database: perRow(cursor.dbCpu, documents), node: perRow(cursor.nodeCpu, documents) },
      };
    }
    const fromViews = runs("views") ? await exportPhase() : null;
    let packing = null;
    if (runs("pack") || runs("packs")) {
      const packMeter = meter();
      const packed = await packDay(db, DAY, csvLines, CURSOR_BATCH);
      const pack = packMeter();
      const total = rows + Math.ceil(rows / 10);
      packing = { rows: packed, seconds: tenths(pack.seconds), rows_per_second: Math.round(total / pack.seconds), cpu_us_per_row: { database: perRow(pack.dbCpu, total), node: perRow(pack.nodeCpu, total) } };
    }
    const fromPacks = runs("packs") ? await exportPhase() : null;
    load.after = os.loadavg().map((l) => round(l, 2));
    return {
      backend: database.backend, cpus: os.cpus().length, load_average: load,
      rows, ended_apart_share: endedShare, other_organisation_rows: Math.ceil(rows / 10),
      day_documents: dayDocuments, end_documents: endDocuments, fill_seconds: fillSeconds,
      cursor_alone: cursorAlone,
      export_from_views: fromViews,
      packing,
      export_from_packs: fromPacks,
      ...(fromViews && fromPacks ? { same_csv: fromViews.sha256 === fromPacks.sha256, packs_over_views_rate: round(fromPacks.rows_per_second / fromViews.rows_per_second, 2) } : {}),
    };
  } finally {
    await db.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { ended: { type: "string", default: "0.9" }, skip: { type: "string", default: "" }, postgresql: { type: "boolean", default: false }, "live-memory": { type: "boolean", default: false } },
  });
  const skip = values.skip ? values.skip.split(",") : [];
  const unknown = skip.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length) throw new Error(`--skip takes ${PHASES.join(", ")}; not ${unknown.join(", ")}`);
  const result = await exportOnce(Number(positionals[0] ?? 1_000_000), { endedShare: Number(values.ended), postgresql: values.postgresql, liveMemory: values["live-memory"], skip: skip as Phase[] });
  console.log(JSON.stringify(result, null, 1));
  process.exit(0);
}
