// What analytics keeps: rollups (`analytics_rollups`, one document per series — a queue,
// or a counter or an agent in it — and UTC hour or day, _id "<series>:<YYYY-MM-DDTHH>" or
// "<series>:<YYYY-MM-DD>", read and written by _id only: the embedded server scans for any
// other filter), and the series it has counted for each organisation (`analytics_series`,
// _id "<organisation>:<series>", inserted once; one document per queue, counter and agent
// of a queue, so a scan of it grows with the offices, not with history), and per queue the
// last change written to the rollups (`analytics_marks`, _id the queue id: change-sequencer.ts).
import { Schema, type Connection } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
import type { Rollup, SeriesKind } from "./rollup.ts";

export interface CountedSeries {
  _id: string;
  series: string;
  kind: SeriesKind;
  member_id: string | null;
  organization_id: string;
  queue_id: string;
  branch_id: string | null;
}

/** What names a series and where it belongs: on its rollups and on its listing alike. */
const seriesFields = {
  _id: String,
  series: { type: String, required: true },
  kind: { type: String, required: true },
  member_id: { type: String, default: null },
  queue_id: { type: String, required: true },
  organization_id: { type: String, required: true },
  branch_id: { type: String, default: null },
};

/**
 * A rollup as stored: packed into one JSON string, or, written before, with its fields as
 * they are (read as they are). The embedded server decodes and re-encodes a document's
 * every field on each write, and a rollup has about 50 with its sketches: a bulkWrite of
 * 10 costs it 1.5 ms of CPU packed against 4.5 ms (`npm run load:journal-encoding`,
 * docs/bench-runs/2026-12-05-packed-rollups.md). Read and written by _id only, never
 * filtered on a field.
 */
type StoredRollup = { _id: string; body: string } | Rollup;
export const packedRollup = (rollup: Rollup) => ({ _id: rollup._id, body: JSON.stringify(rollup) });
const rollupOf = (stored: StoredRollup): Rollup => ("body" in stored ? (JSON.parse(stored.body) as Rollup) : stored);

const rollupSchema = new Schema<{ _id: string; body: string }>({ _id: String, body: { type: String, required: true } }, { collection: "analytics_rollups", versionKey: false });

export interface MarkDoc {
  _id: string; // the queue id
  version: number;
  seq: number;
}

const markSchema = new Schema<MarkDoc>({ _id: String, version: { type: Number, required: true }, seq: { type: Number, required: true } }, { collection: "analytics_marks", versionKey: false });

const countedSeriesSchema = new Schema<CountedSeries>(seriesFields, { collection: "analytics_series", versionKey: false });

export function analyticsStore(db: Connection) {
  return {
    rollups: modelOf(db, "AnalyticsRollup", rollupSchema),
    series: modelOf(db, "AnalyticsSeries", countedSeriesSchema),
    marks: modelOf(db, "AnalyticsMark", markSchema),
  };
}

export type AnalyticsStore = ReturnType<typeof analyticsStore>;

/** A rollup by _id, packed or not; null when none was written. */
export async function readRollup(store: AnalyticsStore, id: string): Promise<Rollup | null> {
  const stored = await store.rollups.findOne({ _id: id }).lean<StoredRollup>();
  return stored && rollupOf(stored);
}
