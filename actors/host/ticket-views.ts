// Bounded views of the tickets read model, for the lists people look at every day. The
// embedded server scans a collection for any filter that is not on _id alone, so a list
// filtered by organisation or user over the whole `tickets` collection gets slower with
// every day of history. Each view is written by the projector beside the row itself:
// - one collection per local day (`tickets_by_org_day_YYYY_MM_DD`), for the staff list of
//   a day's tickets, each row under its organisation's and its queue's prefixes
//   (day-rows.ts): a list reads its organisation's rows of that day only, or one queue's,
//   and a ticket sent to another queue moves to that queue's (writeViews); the ends of
//   that day's tickets are appended to a second one (`tickets_by_org_day_YYYY_MM_DD_ends`),
//   as ticket-ends.ts explains, and `rowsOfDay` puts them over the rows.
//   (`tickets_day_YYYY_MM_DD`, the views before rows were kept by organisation, are no
//   longer read: `npm run backfill:ticket-views` writes a database's rows into these.)
// - a citizen's rows, read by a range of _ids, for "my tickets" (citizen-rows.ts).
// Views take exactly the rows the read model took (read-model.ts decides which version
// wins), so they are as fresh as it is and never move further back than it could.
import type { Filter } from "mongodb";
import { ownerPrefix, underPrefix } from "../../mixins/db/owner-prefix.ts";
import type { Connection } from "mongoose";
import { deleteByIds } from "../../mixins/db/delete-by-ids.ts";
import { inBatches } from "../../mixins/db/in-batches.ts";
import { readAhead } from "../../mixins/db/read-ahead.ts";
import { unpackDays } from "./day-pack-manifests.ts";
import { groupBy } from "../../mixins/group-by.ts";
import { supersedes, type WrittenRows } from "./read-model.ts";
import type { HostStore, TicketDoc } from "./store.ts";
import { appendOnce, endsOf, withEnds } from "./ticket-ends.ts";
import { dayRowId, dayRowOf, packedDayRow, ticketIdOf, type PackedDayRow } from "./day-rows.ts";
import { TicketIdSet } from "./ticket-id-set.ts";
import { writeCitizenRows } from "./citizen-rows.ts";
import { insertOrReplace, replaceEach } from "./view-writes.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A local day (YYYY-MM-DD) as collection names carry it: YYYY_MM_DD. */
export const dayInName = (day: string) => {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  return day.replaceAll("-", "_");
};

export const dayCollectionName = (day: string) => `tickets_by_org_day_${dayInName(day)}`;

/** Where the ends of one day's tickets are appended. */
export const dayEndsCollectionName = (day: string) => `${dayCollectionName(day)}_ends`;

/** Whose rows of a day a reader takes: an organisation's, or one queue's of it, or (no organisation) every one's. */
export interface DayScope {
  organizationId: string | null;
  queueId?: string;
}

const inScope = ({ organizationId, queueId }: DayScope): Filter<PackedDayRow> => {
  if (organizationId === null) return {};
  return underPrefix(`${ownerPrefix(organizationId)}${queueId === undefined ? "" : ownerPrefix(queueId)}`);
};

/** One local day's tickets (YYYY-MM-DD) in `scope`, as they are in the read model: each once, in its latest version. */
export async function rowsOfDay(store: HostStore, day: string, scope: DayScope): Promise<TicketDoc[]> {
  const [rows, ends] = await Promise.all([rawDay(store, day).find(inScope(scope)).toArray(), rawDayEnds(store, day).find(inScope(scope)).toArray()]);
  return latestOfEach(withEnds(rows.map(dayRowOf), ends.map(dayRowOf)));
}

/**
 * Each ticket once: a ticket sent to another queue is moved out of the first queue's range
 * after its row is written in the second's (writeViews), and a late write of a node that
 * lost the first queue may leave it there; the version that supersedes is the one listed.
 */
function latestOfEach(rows: TicketDoc[]): TicketDoc[] {
  const latest = new Map<string, TicketDoc>();
  for (const row of rows) if (supersedes(row, latest.get(row._id))) latest.set(row._id, row);
  return latest.size === rows.length ? rows : [...latest.values()];
}

/**
 * The same, streamed for a reader that must not hold a day in memory: the day's ends first
 * (their ids kept: a day's worth, about 25 bytes each in a TicketIdSet, where a Set of the
 * strings would take about 150 MB per million), then the rows that have none, each read a
 * batch ahead. Through the driver: the rows are the projector's, valid already.
 */
export async function* streamRowsOfDay(db: Connection, day: string, scope: DayScope, batchSize: number): AsyncGenerator<TicketDoc> {
  const ended = new TicketIdSet();
  for await (const doc of readAhead(db.collection<PackedDayRow>(dayEndsCollectionName(day)).find(inScope(scope), { batchSize }))) {
    const end = dayRowOf(doc);
    ended.add(end._id);
    yield end;
  }
  for await (const doc of readAhead(db.collection<PackedDayRow>(dayCollectionName(day)).find(inScope(scope), { batchSize }))) {
    if (!ended.has(ticketIdOf(doc))) yield dayRowOf(doc);
  }
}

/** A day's views through the driver: the rows are the read model's, valid already, stored packed (day-rows.ts). */
const rawDay = (store: HostStore, day: string) => store.tickets.db.collection<PackedDayRow>(dayCollectionName(day));
const rawDayEnds = (store: HostStore, day: string) => store.tickets.db.collection<PackedDayRow>(dayEndsCollectionName(day));

/**
 * Writes rows the read model has just taken into the day and citizen views (view-writes.ts
 * says how).
 */
export async function writeViews(store: HostStore, { inserted, updated, ended }: WrittenRows): Promise<void> {
  // Rows without a day (none is issued without one) have no day to go to.
  const dated = (list: TicketDoc[]) => list.filter((row) => DAY.test(row.day ?? ""));
  const [newRows, changedRows, endedRows] = [dated(inserted), dated(updated), dated(ended)];
  const byDay = (list: TicketDoc[]) => [...groupBy(list, (row) => row.day)];
  await Promise.all([
    ...byDay(newRows).map(([day, dayRows]) => insertOrReplace(rawDay(store, day), dayRows.map(packedDayRow))),
    ...byDay(changedRows).map(([day, dayRows]) => replaceEach(rawDay(store, day), dayRows.map(packedDayRow))),
    ...byDay(endedRows).map(([day, dayRows]) => appendOnce(() => rawDayEnds(store, day).insertMany(dayRows.map(packedDayRow), { ordered: false }))),
    writeCitizenRows(store, { inserted, updated, ended }),
  ]);
  // A ticket sent to another queue leaves the first one's range once its row is in the
  // second's: after the write, so that a fault between the two leaves it listed twice
  // (once, by latestOfEach), never missing.
  const moved = byDay([...newRows, ...changedRows, ...endedRows].filter((row) => row.transferred_from && row.transferred_from !== row.queue_id));
  await Promise.all(moved.map(([day, dayRows]) => deleteByIds(rawDay(store, day), dayRows.map((row) => dayRowId(row.organization_id, row.transferred_from!, row._id)))));
  // A closed day written to (a ticket ended days late): its export packs no longer hold
  // it. After the write, so that a packing that starts later reads it.
  await unpackDays(store.tickets.db, [...new Set([...newRows, ...changedRows, ...endedRows].map((row) => row.day))], Date.now());
}

/**
 * Writes the views of rows the read model already holds: for a database from before the
 * views existed (`npm run backfill:ticket-views`). One pass over the rows, then one over
 * the ends, in batches; safe to run again, and beside a running node (a row is copied as
 * it is now). Counts the documents copied.
 */
export async function backfillViews(store: HostStore, filter: Record<string, unknown> = {}, onBatch?: (done: number) => void): Promise<number> {
  const rows = await inBatches(store.tickets.find(filter).lean<TicketDoc>().cursor(), BACKFILL_BATCH, (batch) => writeViews(store, { inserted: batch, updated: [], ended: [] }), onBatch);
  const ends = await inBatches(endsOf(store.tickets).find(filter).lean<TicketDoc>().cursor(), BACKFILL_BATCH, (batch) => writeViews(store, { inserted: [], updated: [], ended: batch }), (n) => onBatch?.(rows + n));
  return rows + ends;
}

const BACKFILL_BATCH = 500;
