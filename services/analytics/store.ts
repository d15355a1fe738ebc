// What analytics keeps: rollups (`analytics_rollups`, one document per queue and UTC hour
// or day, _id "<queue>:<YYYY-MM-DDTHH>" or "<queue>:<YYYY-MM-DD>", read and written by _id
// only: the embedded server scans for any other filter), and the queues it has counted
// for each organisation (`analytics_queues`, _id "<organisation>:<queue>", inserted once;
// one document per queue, so a scan of it grows with the offices, not with history).
import { Schema, type Connection } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
import type { Rollup } from "./rollup.ts";

export interface CountedQueue {
  _id: string;
  organization_id: string;
  queue_id: string;
  branch_id: string | null;
}

const durations = { count: Number, sum_ms: Number, sketch: { type: Schema.Types.Mixed, default: {} } };

const rollupSchema = new Schema<Rollup>(
  {
    _id: String,
    queue_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    period: { type: String, required: true },
    start: { type: String, required: true },
    version: { type: Number, required: true },
    issued: Number, called: Number, recalled: Number, served: Number, no_show: Number, cancelled: Number,
    transferred_out: Number, transferred_in: Number, expired: Number,
    wait: durations,
    service: durations,
    channels: { type: Schema.Types.Mixed, default: {} },
    issued_by_hour: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: "analytics_rollups", versionKey: false, minimize: false },
);

const countedQueueSchema = new Schema<CountedQueue>(
  { _id: String, organization_id: { type: String, required: true }, queue_id: { type: String, required: true }, branch_id: { type: String, default: null } },
  { collection: "analytics_queues", versionKey: false },
);

export function analyticsStore(db: Connection) {
  return {
    rollups: modelOf(db, "AnalyticsRollup", rollupSchema),
    queues: modelOf(db, "AnalyticsQueue", countedQueueSchema),
  };
}

export type AnalyticsStore = ReturnType<typeof analyticsStore>;
