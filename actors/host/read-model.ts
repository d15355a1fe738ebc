// The tickets read model: one row per ticket, inserted when the ticket arrives in a queue,
// and its end appended beside it when it ends there (ticket-ends.ts). In between (called, serving, recalled) the ticket is its
// owner's, which answers every read of an open ticket (services/queues/owned-rows.ts puts
// the owners' versions over listed rows): writing each step would cost the embedded
// server a read and a rewrite of the row and its views per command, for rows nobody reads.
// Rows are written behind the acknowledgement (actors/host/projector.ts), so
// a write may come late — from a projector retrying, or from a node that has since lost
// the queue. `supersedes` is the one rule that decides whether a write may replace a row,
// applied when folding a batch and against the stored row, so that a row never moves
// backwards.
import type { AnyBulkWriteOperation } from "mongoose";
import { mapLimited } from "../../mixins/db/limited.ts";
import { claimEach } from "../../mixins/db/claim.ts";
import { insertChecked } from "../../mixins/db/checked-insert.ts";
import { ENDED_STATUSES, OPEN_STATUSES, type QueueEvent, type Ticket } from "../queue/index.ts";
import type { HostStore, TicketDoc } from "./store.ts";
import { appendOnce, endsOf, readTicketRow } from "./ticket-ends.ts";

/** What orders two versions of one ticket's row. */
export type RowVersion = Pick<TicketDoc, "queue_id" | "seq" | "transfers">;

const transfersOf = (version: RowVersion) => version.transfers ?? 0;

/**
 * Seqs of two queues do not compare, so versions are ordered by how many times the ticket
 * had been transferred (each arrival counts one more: the ticket's stay in a queue), then,
 * within one stay, by the queue's journal seq. A new queue's row therefore wins whether the
 * old queue's "transferred" row landed before it or lands after it.
 */
export function supersedes(next: RowVersion, row: RowVersion | null | undefined): boolean {
  if (!row) return true;
  if (transfersOf(next) !== transfersOf(row)) return transfersOf(next) > transfersOf(row);
  return row.queue_id === next.queue_id && row.seq < next.seq;
}

/** The same version: a write repeated by a retry or a replay. */
const sameVersion = (a: RowVersion, b: RowVersion) => transfersOf(a) === transfersOf(b) && a.queue_id === b.queue_id && a.seq === b.seq;

/** The latest version of each ticket a run of events touched (a later event wins). */
export function ticketsIn(events: readonly QueueEvent[]): Map<string, Ticket> {
  const latest = new Map<string, Ticket>();
  for (const event of events) if ("ticket" in event) latest.set(event.ticket.id, event.ticket);
  return latest;
}

/** The guard's reads by _id run this many at a time, not a whole batch (up to a thousand)
 * at once: the driver's pool (100 connections) stays free for the journal appends. */
const GUARD_READS_IN_FLIGHT = 8;

/** Events that bring a ticket into a queue: its first row there. */
const ARRIVALS = new Set(["ticket.issued", "ticket.transferred_in"]);

export interface RowChange {
  row: TicketDoc;
  /** The ticket arrived in this run: its row is most likely new, so it is inserted. */
  arrived: boolean;
}

/**
 * Folds one commit's tickets into `rows` (per ticket id), keeping only superseding versions.
 * A version is written when the ticket arrives or ends; a row the batch writes anyway takes
 * any later version too.
 */
export function foldCommit(
  rows: Map<string, RowChange>,
  commit: { organizationId: string; branchId: string | null; seq: number; events: readonly QueueEvent[] },
): void {
  const arrivals = new Set(commit.events.filter((e) => ARRIVALS.has(e.type) && "ticket" in e).map((e) => ("ticket" in e ? e.ticket.id : "")));
  for (const ticket of ticketsIn(commit.events).values()) {
    const { id, ...fields } = ticket;
    const row: TicketDoc = { _id: id, ...fields, organization_id: commit.organizationId, branch_id: commit.branchId, seq: commit.seq };
    const known = rows.get(id);
    if (!known && !arrivals.has(id) && OPEN_STATUSES.has(ticket.status)) continue;
    if (known && !supersedes(row, known.row)) continue;
    rows.set(id, { row, arrived: arrivals.has(id) || (known?.arrived ?? false) });
  }
}

/**
 * Writes folded rows; answers those the read model took. Arrivals are inserted (an insert
 * costs the same at any size on FerretDB). A ticket's last version — completed,
 * cancelled, no-show, expired: after it nothing can supersede it — is appended to the ends
 * (ticket-ends.ts), no read first. Every other row — one sent to another queue, and an
 * arrival whose row exists already, after a replay — is read by _id, compared with
 * `supersedes`, and updated by _id only if it wins. (A filter on _id and seq would make
 * this one atomic write on MongoDB, but FerretDB pushes down only a filter on _id alone:
 * with any other field the update scans the collection. The read-then-write leaves a
 * window of one round trip in which a node that lost the queue could still overwrite a
 * newer row, which then stays stale until the ticket next changes.)
 */
export async function writeRows(store: HostStore, changes: Iterable<RowChange>): Promise<WrittenRows> {
  const all = [...changes];
  const inserts = all.filter((c) => c.arrived).map((c) => c.row);
  const ended = all.filter((c) => !c.arrived && ENDED_STATUSES.has(c.row.status)).map((c) => c.row);
  const updates = all.filter((c) => !c.arrived && !ENDED_STATUSES.has(c.row.status)).map((c) => c.row);
  const [present] = await Promise.all([insertNew(store, inserts), appendEnds(store, ended)]);
  const taken = inserts.filter((row) => !present.includes(row));
  updates.push(...present);
  if (!updates.length) return { inserted: taken, updated: [], ended };
  // Compared with the ticket's end too: a late version must not reach the views over it.
  const stored = await mapLimited(updates, GUARD_READS_IN_FLIGHT, (row) => readTicketRow<RowVersion>(store.tickets, row._id, { queue_id: 1, seq: 1, transfers: 1 }));
  const missing = updates.filter((_, i) => !stored[i]);
  const winners = updates.filter((row, i) => stored[i] && supersedes(row, stored[i]));
  // Already there at this version: a retry after a failure between this write and the
  // views', or a replay. The views take it again (their writes are idempotent), or a view
  // would miss a version the read model has.
  const repeated = updates.filter((row, i) => stored[i] && sameVersion(row, stored[i]));
  if (missing.length) await insertChecked(store.tickets, missing);
  if (winners.length) {
    const writes: AnyBulkWriteOperation<TicketDoc>[] = winners.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields } } }));
    await store.tickets.bulkWrite(writes, { ordered: false });
  }
  // A repeated arrival goes to the views as new, so that its citizen's months are written too.
  const arrivals = new Set(present);
  return {
    inserted: [...taken, ...missing, ...repeated.filter((row) => arrivals.has(row))],
    updated: [...winners, ...repeated.filter((row) => !arrivals.has(row))],
    ended,
  };
}

/** Appends last versions to the ends; one there already is this same version again. */
async function appendEnds(store: HostStore, rows: TicketDoc[]): Promise<void> {
  if (rows.length) await appendOnce(() => insertChecked(endsOf(store.tickets), rows));
}

/** The rows the views must take: new ones (and arrivals it had already), newer versions of
 * rows it had, versions it had already (written again to the views), and last versions. */
export interface WrittenRows {
  inserted: TicketDoc[];
  updated: TicketDoc[];
  ended: TicketDoc[];
}

/** Inserts rows; answers those that were there already. */
const insertNew = async (store: HostStore, rows: TicketDoc[]): Promise<TicketDoc[]> => (rows.length ? claimEach(store.tickets, rows) : []);
