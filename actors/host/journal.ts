// Reading and extending the queues' journals; snapshots; the tickets read model.
// Every read here is by _id: one snapshot, then the commits after it, probed by seq until
// one is missing (seqs are contiguous, so the first gap is the tip).
import type { AnyBulkWriteOperation } from "mongoose";
import { duplicateIndexes } from "../../platform/mongo/claim.ts";
import type { QueueEvent, QueueState, Ticket } from "../queue/index.ts";
import type { CommitDoc, HostStore, SnapshotDoc, StateWithoutTickets, TicketDoc } from "./store.ts";

const OPEN_STATUSES = new Set(["waiting", "called", "serving"]);

export interface Tip {
  seq: number;
  epoch: number;
  state: QueueState | null;
  /** Commits replayed on top of the snapshot: how stale the snapshot was. */
  replayed: number;
  replayedEvents: QueueEvent[];
}

export const commitId = (queueId: string, seq: number) => `${queueId}:${seq}`;

/** The latest version of each ticket a run of events touched (a later event wins). */
export function ticketsIn(events: readonly QueueEvent[]): Map<string, Ticket> {
  const latest = new Map<string, Ticket>();
  for (const event of events) if ("ticket" in event) latest.set(event.ticket.id, event.ticket);
  return latest;
}

/** A commit's state with the open tickets rebuilt from the previous state and its events. */
function replay(previous: QueueState | null, commit: CommitDoc): QueueState {
  const tickets = new Map((previous?.tickets ?? []).map((t) => [t.id, t]));
  for (const ticket of ticketsIn(commit.events).values()) tickets.set(ticket.id, ticket);
  const open = [...tickets.values()].filter((t) => OPEN_STATUSES.has(t.status));
  return { ...commit.state, tickets: open.sort((a, b) => a.issued_at - b.issued_at || a.id.localeCompare(b.id)) };
}

/** Commits are probed this many at a time, in parallel: one round trip per batch. */
const PROBE_BATCH = 8;

export async function loadTip(store: HostStore, queueId: string): Promise<Tip> {
  const snapshot = await store.snapshots.findById(queueId).lean<SnapshotDoc>();
  const tip: Tip = { seq: snapshot?.seq ?? 0, epoch: snapshot?.epoch ?? 0, state: snapshot?.state ?? null, replayed: 0, replayedEvents: [] };
  for (;;) {
    const seqs = Array.from({ length: PROBE_BATCH }, (_, i) => tip.seq + 1 + i);
    const batch = await Promise.all(seqs.map((seq) => store.commits.findById(commitId(queueId, seq)).lean<CommitDoc>()));
    for (const commit of batch) {
      if (!commit) return tip;
      Object.assign(tip, { seq: commit.seq, epoch: commit.epoch, state: replay(tip.state, commit), replayed: tip.replayed + 1 });
      tip.replayedEvents.push(...commit.events);
    }
  }
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
    await store.commits.insertMany(commits, { ordered: false });
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (!duplicates) throw err;
    for (const index of duplicates) lost.add(commits[index]!.queue_id);
  }
  return lost;
}

/** Snapshots may be written late by a node that lost the queue: an older snapshot only
 * means a longer replay, since commits are immutable and contiguous. */
export async function saveSnapshots(store: HostStore, snapshots: SnapshotDoc[]): Promise<void> {
  if (!snapshots.length) return;
  await store.snapshots.bulkWrite(
    snapshots.map((s) => ({ replaceOne: { filter: { _id: s._id }, replacement: s, upsert: true } })),
    { ordered: false },
  );
}

export interface Materialization {
  organizationId: string;
  branchId: string | null;
  seq: number;
  events: readonly QueueEvent[];
}

/** Events that bring a ticket into a queue: its first row in the read model. */
const ARRIVALS = new Set(["ticket.issued", "ticket.transferred_in"]);

/**
 * Writes the tickets changed by successful commits into the read model: tickets new to
 * it are inserted, the others updated by _id. (FerretDB runs an upsert or a replace as a
 * scan of the collection, an insert in constant time; so arrivals, the bulk of the
 * traffic, never upsert.) A ticket inserted already (a replay after a failover) is
 * updated instead.
 */
export async function materialize(store: HostStore, done: Materialization[]): Promise<void> {
  const rows = new Map<string, TicketDoc>();
  const arrived = new Set<string>();
  for (const m of done) {
    for (const event of m.events) if (ARRIVALS.has(event.type) && "ticket" in event) arrived.add(event.ticket.id);
    for (const ticket of ticketsIn(m.events).values()) {
      const { id, ...fields } = ticket;
      rows.set(id, { _id: id, ...fields, organization_id: m.organizationId, branch_id: m.branchId, seq: m.seq });
    }
  }
  const inserts = [...rows.values()].filter((row) => arrived.has(row._id));
  const updates = [...rows.values()].filter((row) => !arrived.has(row._id));
  if (inserts.length) updates.push(...(await insertNew(store, inserts)));
  if (updates.length) {
    const writes: AnyBulkWriteOperation<TicketDoc>[] = updates.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields } } }));
    await store.tickets.bulkWrite(writes, { ordered: false });
  }
}

/**
 * Of events replayed at activation, those whose ticket the read model does not show as the
 * events leave it: the previous owner may have died between its journal append and its
 * read-model write. The rows are read by _id (constant time on FerretDB, where an update
 * is a scan), so a takeover rewrites the few rows that lag, not every ticket of the
 * commits since the last snapshot while its first commits wait on the same database.
 */
export async function eventsNotMaterialized(store: HostStore, events: readonly QueueEvent[]): Promise<QueueEvent[]> {
  const latest = [...ticketsIn(events).values()];
  const rows = await Promise.all(latest.map((ticket) => store.tickets.findById(ticket.id).lean<TicketDoc>()));
  const lagging = new Set(latest.filter((ticket, i) => !rows[i] || !shows(rows[i]!, ticket)).map((ticket) => ticket.id));
  return events.filter((event) => "ticket" in event && lagging.has(event.ticket.id));
}

/** The row holds this version of the ticket. */
function shows(row: TicketDoc, ticket: Ticket): boolean {
  const stored = row as unknown as Record<string, unknown>;
  return Object.entries(ticket).every(([field, value]) => field === "id" || (stored[field] ?? null) === (value ?? null));
}

/** Inserts rows; answers those that were there already. */
async function insertNew(store: HostStore, rows: TicketDoc[]): Promise<TicketDoc[]> {
  try {
    await store.tickets.insertMany(rows, { ordered: false });
    return [];
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (!duplicates) throw err;
    return duplicates.map((index) => rows[index]!);
  }
}
