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

const durations = { count: Number, sum_ms: Number, sketch: { type: Schema.Types.Mixed, default: {} } };

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

const rollupSchema = new Schema<Rollup>(
  {
    ...seriesFields,
    period: { type: String, required: true },
    start: { type: String, required: true },
    version: { type: Number, required: true },
    issued: Number, called: Number, recalled: Number, served: Number, served_within_target: Number, no_show: Number, cancelled: Number,
    transferred_out: Number, transferred_in: Number, expired: Number,
    wait: durations,
    service: durations,
    channels: { type: Schema.Types.Mixed, default: {} },
    issued_by_hour: { type: Schema.Types.Mixed, default: {} },
    abandoned_by_position: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: "analytics_rollups", versionKey: false, minimize: false },
);

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
