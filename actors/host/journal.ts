// Reading and extending the queues' journals, and bringing the tickets read model up to
// date with them. See store.ts for why an append is an insert under a unique _id.
import type { AnyBulkWriteOperation } from "mongoose";
import type { QueueEvent, QueueState, Ticket } from "../queue/index.ts";
import type { CommitDoc, HostStore, StateWithoutTickets, TicketDoc } from "./store.ts";

const OPEN_STATUSES = ["waiting", "called", "serving"];
const isOpen = (ticket: Ticket) => OPEN_STATUSES.includes(ticket.status);

export interface Tip {
  seq: number;
  epoch: number;
  state: QueueState | null;
}

export const commitId = (queueId: string, seq: number) => `${queueId}:${seq}`;

/** The latest tickets touched by a run of events, in order (a later event wins). */
export function ticketsIn(events: readonly QueueEvent[]): Map<string, Ticket> {
  const latest = new Map<string, Ticket>();
  for (const event of events) if ("ticket" in event) latest.set(event.ticket.id, event.ticket);
  return latest;
}

/** The queue as of its latest commit: state from the journal, open tickets from the
 * read model plus whatever the journal holds that the read model has not caught up with. */
export async function loadTip(store: HostStore, queueId: string): Promise<Tip> {
  const latest = await store.commits.findOne({ queue_id: queueId }).sort({ seq: -1 }).lean<CommitDoc>();
  if (!latest) return { seq: 0, epoch: 0, state: null };
  const head = await store.heads.findById(queueId).lean();
  const materialized = head?.materialized_seq ?? 0;
  const [stored, unmaterialized] = await Promise.all([
    store.tickets.find({ queue_id: queueId, status: { $in: OPEN_STATUSES } }).lean<TicketDoc[]>(),
    store.commits.find({ queue_id: queueId, seq: { $gt: materialized } }).sort({ seq: 1 }).lean<CommitDoc[]>(),
  ]);
  const tickets = new Map<string, Ticket>(stored.map((doc) => [doc._id, ticketOf(doc)]));
  for (const commit of unmaterialized) {
    for (const ticket of ticketsIn(commit.events).values()) tickets.set(ticket.id, ticket);
  }
  const open = [...tickets.values()].filter(isOpen).sort((a, b) => a.issued_at - b.issued_at || a.id.localeCompare(b.id));
  return { seq: latest.seq, epoch: latest.epoch, state: { ...latest.state, tickets: open } };
}

function ticketOf(doc: TicketDoc): Ticket {
  const { _id, organization_id: _o, branch_id: _b, seq: _s, ...rest } = doc;
  return { id: _id, ...rest };
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
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }).writeErrors;
    if (!writeErrors) throw err;
    for (const failure of writeErrors) {
      const code = failure.code ?? failure.err?.code;
      if (code !== 11000) throw err;
      lost.add(commits[failure.index]!.queue_id);
    }
  }
  return lost;
}

export interface Materialization {
  queueId: string;
  organizationId: string;
  branchId: string | null;
  seq: number;
  events: readonly QueueEvent[];
}

/** Writes the tickets changed by successful commits, then how far each queue has come. */
export async function materialize(store: HostStore, done: Materialization[]): Promise<void> {
  const ticketWrites: AnyBulkWriteOperation<TicketDoc>[] = [];
  for (const m of done) {
    for (const ticket of ticketsIn(m.events).values()) {
      const { id, ...fields } = ticket;
      const doc = { ...fields, organization_id: m.organizationId, branch_id: m.branchId, seq: m.seq };
      ticketWrites.push({ replaceOne: { filter: { _id: id }, replacement: doc as TicketDoc, upsert: true } });
    }
  }
  if (ticketWrites.length) await store.tickets.bulkWrite(ticketWrites, { ordered: false });
  const heads = done.map((m) => ({
    updateOne: { filter: { _id: m.queueId }, update: { $set: { materialized_seq: m.seq } }, upsert: true },
  }));
  if (heads.length) await store.heads.bulkWrite(heads, { ordered: false });
}
