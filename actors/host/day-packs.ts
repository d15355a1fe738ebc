// Closed days' tickets packed for the CSV export. Read row by row, a day costs the
// embedded FerretDB about 250 µs of CPU per stored document (it decodes each one, and a
// ticket that ended is two: its arrival and its end), so an export ran at a few thousand
// rows a second; CSV lines packed hundreds to a document and read by `_id` cost it a tenth
// of that per row (docs/bench-runs/2026-12-02-export.md). A day is packed once it is
// closed (packableDay), by the analytics job, into `tickets_day_YYYY_MM_DD_packed` (the
// name of the day's views when packing began, kept so that packs made then stay read):
// `<organisation>:<n>` holds that organisation's n-th lines, each ticket once as it
// ended; its manifest in `ticket_export_packs` (`_id` the day) counts each organisation's
// packs. A write the projector makes to a closed day afterwards (a ticket that ended days
// late) deletes the manifest (writeViews), so the export reads the rows again until the
// next packing.
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { dayPackManifests } from "./day-pack-manifests.ts";
import type { TicketDoc } from "./store.ts";
import { dayInName, streamRowsOfDay } from "./ticket-views.ts";

/** Lines to a pack: about 150 KB of CSV, well under a document's 16 MB. */
export const ROWS_PER_PACK = 500;
/** Rows waiting in memory across organisations before every organisation's are written. */
const ROWS_BUFFERED = 20 * ROWS_PER_PACK;

interface PackDoc {
  _id: string; // "<organisation>:<n>", n zero-padded so that _ids sort as they are read
  csv: string;
}

export const packsCollectionName = (day: string) => `tickets_day_${dayInName(day)}_packed`;
const packId = (organizationId: string, n: number) => `${organizationId}:${String(n).padStart(8, "0")}`;

/** The packs of a packed day, each organisation's count; null while it is not packed. */
export async function packedDay(db: Connection, day: string): Promise<Record<string, number> | null> {
  const manifest = await dayPackManifests(db).findOne({ _id: day });
  return manifest?.state === "packed" ? (manifest.packs ?? {}) : null;
}

/** Packs asked for ahead of the one being written out: the embedded server decodes them
 * on its other threads meanwhile. */
const PACKS_AHEAD = 4;

/** An organisation's packed lines of a day, one pack after the other, each read by _id. */
export async function* packedLines(db: Connection, day: string, organizationId: string, count: number): AsyncGenerator<string> {
  const packs = db.collection<PackDoc>(packsCollectionName(day));
  const read = (n: number) => packs.findOne({ _id: packId(organizationId, n) });
  const ahead = Array.from({ length: Math.min(PACKS_AHEAD, count) }, (_, n) => read(n));
  // Awaited in order below, or dropped when the reader stops early: never unhandled.
  for (const pending of ahead) pending.catch(() => {});
  for (let n = 0; n < count; n++) {
    const pack = await ahead.shift()!;
    if (n + PACKS_AHEAD < count) {
      const next = read(n + PACKS_AHEAD);
      next.catch(() => {});
      ahead.push(next);
    }
    if (!pack) throw new Error(`pack ${n} of ${organizationId} on ${day} is missing`);
    yield pack.csv;
  }
}

/**
 * Packs one day's tickets: read once through streamRowsOfDay, each organisation's lines
 * `ROWS_PER_PACK` to a document. Safe to run again (the day's packs are made anew) and
 * harmless when interrupted: the manifest says `packed` only once every pack is written,
 * and only if no late write deleted it meanwhile. Gives the rows packed, or null when
 * such a write came (the day is packed again at a later run).
 */
export async function packDay(db: Connection, day: string, toCsv: (rows: TicketDoc[]) => string, batchSize: number): Promise<number | null> {
  const token = randomUUID();
  await dayPackManifests(db).replaceOne({ _id: day }, { state: "packing", token, started_at: new Date() }, { upsert: true });
  const target = db.collection<PackDoc>(packsCollectionName(day));
  await target.drop().catch(() => {}); // none yet: nothing to drop
  const buffered = new Map<string, TicketDoc[]>();
  const packs: Record<string, number> = {};
  let [rows, waiting] = [0, 0];
  const write = async (organizations: string[]) => {
    const docs = organizations.map((organizationId) => {
      const lines = buffered.get(organizationId)!;
      buffered.delete(organizationId);
      waiting -= lines.length;
      const n = packs[organizationId] ?? 0;
      packs[organizationId] = n + 1;
      return { _id: packId(organizationId, n), csv: toCsv(lines) };
    });
    if (docs.length) await target.insertMany(docs);
  };
  for await (const row of streamRowsOfDay(db, day, { organizationId: null }, batchSize)) {
    const lines = buffered.get(row.organization_id) ?? buffered.set(row.organization_id, []).get(row.organization_id)!;
    lines.push(row);
    rows++;
    waiting++;
    // A full pack is written at once; many organisations' short ones, when they add up.
    if (lines.length === ROWS_PER_PACK) await write([row.organization_id]);
    else if (waiting === ROWS_BUFFERED) await write([...buffered.keys()]);
  }
  await write([...buffered.keys()]);
  const done = await dayPackManifests(db).updateOne({ _id: day, token, state: "packing" }, { $set: { state: "packed", packed_at: new Date(), packs, rows } });
  return done.matchedCount ? rows : null;
}
