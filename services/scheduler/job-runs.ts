// The scheduler's own collections: `job_runs` holds the claim of each one-off call
// (_id = the call's idempotency key, see jobs/call-action.ts); `scheduler_pings` is what `scheduler.ping` records,
// one row per delivered call, so a duplicate delivery is visible rather than absorbed.
import { Schema, type Connection } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";

export interface JobRunDoc {
  /** The call's idempotency key; a takeover marker is `<key>#<generation>`. */
  _id: string;
  state: "calling" | "done" | "failed" | "takeover";
  /** 0 for the first claim, +1 for each takeover of a dead or failed one. */
  generation: number;
  action: string;
  node_id: string;
  claimed_at: Date;
  finished_at?: Date;
}

export interface PingDoc {
  key: string;
  node_id: string;
  at: Date;
}

const jobRunSchema = new Schema<JobRunDoc>(
  {
    _id: String,
    state: { type: String, required: true },
    generation: { type: Number, required: true },
    action: { type: String, required: true },
    node_id: { type: String, required: true },
    claimed_at: { type: Date, required: true },
    finished_at: Date,
  },
  { collection: "job_runs", versionKey: false },
);

const pingSchema = new Schema<PingDoc>(
  { key: { type: String, required: true, index: true }, node_id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: "scheduler_pings", versionKey: false },
);

export function schedulerStore(db: Connection) {
  return {
    jobRuns: modelOf(db, "SchedulerJobRun", jobRunSchema),
    pings: modelOf(db, "SchedulerPing", pingSchema),
  };
}

export type SchedulerStore = ReturnType<typeof schedulerStore>;
