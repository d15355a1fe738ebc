// What the actor host keeps in MongoDB.
// - queue_commits: the journal. One document per group commit of one queue, under the
//   unique _id "<queue>:<seq>". Appending seq n+1 is an insert, so of two nodes that
//   both believe they own a queue only one can extend its journal: the other's insert
//   fails with a duplicate key and it steps down (fencing, on MongoDB and FerretDB alike).
// - queue_snapshots: a queue's whole state now and then (projector.ts says when), so
//   that activation reads one snapshot and the commits after it, all by _id (FerretDB
//   pushes down lookups by _id but scans the collection for other filters).
// - tickets: every ticket as of its arrival in its queue, and ticket_ends beside it, its
//   last version (ticket-ends.ts): the read model, read by ticket id; the actors never
//   read it back. The lists read its bounded views (ticket-views.ts).
import { Schema, type Connection, type Model } from "mongoose";
import type { QueueEvent, QueueState, Ticket } from "../queue/index.ts";
import { dropIndexes, ensureIndexes, modelOf } from "../../mixins/db/models.ts";

export type StateWithoutTickets = Omit<QueueState, "tickets">;

export interface CommitDoc {
  _id: string;
  queue_id: string;
  seq: number;
  /** Raised by each activation: which tenure of ownership wrote this. */
  epoch: number;
  node_id: string;
  committed_at: Date;
  /** The commit's events and the queue's state after it (open tickets aside) as one JSON
   * string (`CommitBody`, packed and read by journal.ts). */
  body: string;
}

/**
 * What a journal document carries. It is stored packed as one string because FerretDB
 * keeps every nested field of a document with its type and walks them all on each write
 * and read: one string is one field. Measured by `npm run load:journal-encoding`: an
 * insert of 5 commits, a read by _id and a 300-ticket snapshot's rewrite cost the
 * database about half, half and a fifth of the CPU they cost as nested documents.
 * Documents written before carry `state` and `events` as fields; both forms are read.
 */
export interface CommitBody {
  state: StateWithoutTickets;
  events: QueueEvent[];
}

export interface TicketDoc extends Omit<Ticket, "id"> {
  _id: string;
  organization_id: string;
  branch_id: string | null;
  /** The journal seq this version of the ticket comes from. */
  seq: number;
}

export interface SnapshotDoc {
  _id: string; // the queue id
  seq: number;
  epoch: number;
  /**
   * The queue's whole state as JSON, deflated (raw DEFLATE). Its open tickets make it
   * large and alike: 500 waiting are 187 KB of JSON and 6 KB deflated (0.6 ms to deflate,
   * 1.2 ms to inflate). The embedded server writes one command at a time, and rewriting
   * a few such snapshots in one batch kept the journal's appends waiting up to 157 ms
   * under call-next (docs/bench-runs/2026-12-04-deflated-snapshots.md).
   */
  deflated: Buffer;
}

const commitSchema = new Schema<CommitDoc>(
  {
    _id: String,
    queue_id: { type: String, required: true },
    seq: { type: Number, required: true },
    epoch: { type: Number, required: true },
    node_id: { type: String, required: true },
    committed_at: { type: Date, required: true },
    body: { type: String, required: true },
  },
  { collection: "queue_commits", versionKey: false, minimize: false },
);
/**
 * The journal's only index is its _id: every read is by _id (journal.ts). Until
 * 2026-12-05 it also had one on { queue_id, seq } that nothing read by, and every append
 * maintained it: under call-next alone the database spent 0.85–0.97× the CPU per command
 * without it, in 4 of 5 alternated pairs (load-tests/call-next.ts). A database from
 * before has it dropped when a node starts (ensureHostIndexes).
 */
const RETIRED_COMMIT_INDEXES = ["queue_id_1_seq_-1"];

export const ticketSchema = new Schema<TicketDoc>(
  {
    _id: String,
    queue_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    number: String,
    day: String,
    status: { type: String, required: true },
    channel: String,
    priority: String,
    user_id: { type: String, default: null },
    appointment_id: { type: String, default: null },
    appointment_at: { type: Number, default: null },
    issued_at: Number,
    called_at: { type: Number, default: null },
    started_at: { type: Number, default: null },
    finished_at: { type: Number, default: null },
    counter_id: { type: String, default: null },
    recalls: Number,
    transferred_from: { type: String, default: null },
    transfers: Number,
    reason: { type: String, default: null },
    fee: { type: Schema.Types.Mixed, default: undefined },
    seq: Number,
  },
  { collection: "tickets", versionKey: false },
);
// No index but _id: rows and their views are read by _id, or a day's view whole; each
// secondary index would cost every insert of a row (and the embedded server never uses
// one for a filter).

const snapshotSchema = new Schema<SnapshotDoc>(
  { _id: String, seq: Number, epoch: Number, deflated: Buffer },
  { collection: "queue_snapshots", versionKey: false, minimize: false },
);

export interface HostStore {
  commits: Model<CommitDoc>;
  tickets: Model<TicketDoc>;
  snapshots: Model<SnapshotDoc>;
}

/** `projection`: the connection the read model and snapshots are written through (the
 * node's `behind`, services/node-deps.ts), so that the projector's writes never queue in
 * front of the journal's appends. */
export function hostStore(db: Connection, projection: Connection = db): HostStore {
  return {
    commits: modelOf(db, "QueueCommit", commitSchema),
    tickets: modelOf(projection, "Ticket", ticketSchema),
    snapshots: modelOf(projection, "QueueSnapshot", snapshotSchema),
  };
}

export async function ensureHostIndexes(store: HostStore): Promise<void> {
  await ensureIndexes({ ...store });
  await dropIndexes(store.commits, RETIRED_COMMIT_INDEXES);
}
