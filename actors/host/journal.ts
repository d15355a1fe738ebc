// Reading and extending the queues' journals.
// Every read here is by _id: one snapshot, then the commits after it, probed by seq until
// one is missing (seqs are contiguous, so the first gap is the tip).
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { duplicateIndexes } from "../../mixins/db/claim.ts";
import { insertChecked } from "../../mixins/db/checked-insert.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { OPEN_STATUSES, type QueueEvent, type QueueState } from "../queue/index.ts";
import { ticketsIn } from "./read-model.ts";
import type { CommitBody, CommitDoc, HostStore, SnapshotDoc, StateWithoutTickets } from "./store.ts";


/** A commit as it is durable in the journal, with the queue's whole state after it. */
export interface DurableCommit {
  seq: number;
  epoch: number;
  committedAt: number;
  events: QueueEvent[];
  state: QueueState;
}

export interface Tip {
  seq: number;
  epoch: number;
  state: QueueState | null;
  /** Commits replayed on top of the snapshot, each with the state it left: the projector
   * may not have written them yet, so activation hands them to it again. */
  replayed: DurableCommit[];
}

export const commitId = (queueId: string, seq: number) => `${queueId}:${seq}`;

/** A journal document, as this version writes it: its body packed (see CommitBody). */
export function commitDoc(head: Omit<CommitDoc, "body">, body: { state: QueueState; events: QueueEvent[] }): CommitDoc {
  return { ...head, body: JSON.stringify({ state: withoutTickets(body.state), events: body.events } satisfies CommitBody) };
}

/** A journal document as stored: packed, or, written before packing, with its fields as they are. */
type StoredCommit = Omit<CommitDoc, "body"> & ({ body: string } | CommitBody);
/** A snapshot as stored: deflated, or, written before, as one JSON string or with its fields as they are. */
type StoredSnapshot = Omit<SnapshotDoc, "deflated"> & ({ deflated: { buffer: Uint8Array } | Buffer } | { body: string } | { state: QueueState });

export function commitBodyOf(doc: { body: string } | CommitBody): CommitBody {
  return "body" in doc ? (JSON.parse(doc.body) as CommitBody) : { state: doc.state, events: doc.events ?? [] };
}

/** Fastest level: a queue's tickets repeat their keys, and level 1 already takes 187 KB to 6 KB. */
const SNAPSHOT_DEFLATE = { level: 1 };

export const snapshotDoc = (queueId: string, seq: number, epoch: number, state: QueueState): SnapshotDoc => ({
  _id: queueId, seq, epoch, deflated: deflateRawSync(JSON.stringify(state), SNAPSHOT_DEFLATE),
});

function snapshotStateOf(doc: StoredSnapshot): QueueState {
  if ("deflated" in doc) {
    // Read lean, the driver hands binary data over as a BSON Binary (its bytes in `buffer`).
    const bytes = Buffer.isBuffer(doc.deflated) ? doc.deflated : doc.deflated.buffer;
    return JSON.parse(inflateRawSync(bytes).toString("utf8")) as QueueState;
  }
  return "body" in doc ? (JSON.parse(doc.body) as QueueState) : doc.state;
}

/** A commit's state with the open tickets rebuilt from the previous state and its events. */
function replay(previous: QueueState | null, { state, events }: CommitBody): QueueState {
  const tickets = new Map((previous?.tickets ?? []).map((t) => [t.id, t]));
  for (const ticket of ticketsIn(events).values()) tickets.set(ticket.id, ticket);
  const open = [...tickets.values()].filter((t) => OPEN_STATUSES.has(t.status));
  return { ...state, tickets: open.sort((a, b) => a.issued_at - b.issued_at || a.id.localeCompare(b.id)) };
}

/** Commits are read this many at a time, in parallel: the driver's pool is shared with the hot path. */
const READS_IN_FLIGHT = 8;

const readCommit = (store: HostStore, queueId: string, seq: number) => store.commits.findById(commitId(queueId, seq)).lean<StoredCommit>();

export async function loadTip(store: HostStore, queueId: string): Promise<Tip> {
  const snapshot = await store.snapshots.findById(queueId).lean<StoredSnapshot>();
  const tip: Tip = { seq: snapshot?.seq ?? 0, epoch: snapshot?.epoch ?? 0, state: snapshot ? snapshotStateOf(snapshot) : null, replayed: [] };
  for (;;) {
    const seqs = Array.from({ length: READS_IN_FLIGHT }, (_, i) => tip.seq + 1 + i);
    const batch = await Promise.all(seqs.map((seq) => readCommit(store, queueId, seq)));
    for (const commit of batch) {
      if (!commit) return tip;
      const body = commitBodyOf(commit);
      Object.assign(tip, { seq: commit.seq, epoch: commit.epoch, state: replay(tip.state, body) });
      tip.replayed.push({ seq: commit.seq, epoch: commit.epoch, committedAt: new Date(commit.committed_at).getTime(), events: body.events, state: tip.state! });
    }
  }
}

/** A commit as a listener that missed its broadcast reads it again. */
export interface JournalEntry {
  seq: number;
  committedAt: number;
  events: QueueEvent[];
}

/** Commits one call reads back at most. */
export const JOURNAL_READ_BACK_MAX = 500;

/** The queue's commits with seq from `fromSeq` to `toSeq` (both included) that exist, in seq order; each by _id. */
export async function commitsBetween(store: HostStore, queueId: string, fromSeq: number, toSeq: number): Promise<JournalEntry[]> {
  const seqs = Array.from({ length: Math.max(0, toSeq - fromSeq + 1) }, (_, i) => fromSeq + i);
  const found = await mapLimited(seqs, READS_IN_FLIGHT, (seq) => readCommit(store, queueId, seq));
  return found
    .filter((commit): commit is StoredCommit => commit !== null)
    .map((commit) => ({ seq: commit.seq, committedAt: new Date(commit.committed_at).getTime(), events: commitBodyOf(commit).events }));
}

export function withoutTickets(state: QueueState): StateWithoutTickets {
  const { tickets: _tickets, ...rest } = state;
  return rest;
}

/**
 * Appends commits of many queues in one bulk insert. Returns the queue ids whose append
 * lost to another writer (duplicate key): they are no longer ours.
 */
export async function append(store: HostStore, commits: CommitDoc[]): Promise<Set<string>> {
  const lost = new Set<string>();
  if (commits.length === 0) return lost;
  try {
    // Checked first: an invalid document fails the whole append, and no command is
    // answered that is not in the journal.
    await insertChecked(store.commits, commits);
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (!duplicates) throw err;
    for (const index of duplicates) lost.add(commits[index]!.queue_id);
  }
  return lost;
}
