// Bounded views of the tickets read model, for the lists people look at every day. The
// embedded server scans a collection for any filter that is not on _id alone, so a list
// filtered by organisation or user over the whole `tickets` collection gets slower with
// every day of history. Each view is written by the projector beside the row itself:
// - one collection per local day (`tickets_day_YYYY_MM_DD`), for the staff list of a
//   day's tickets: a filter scans that day only; the ends of that day's tickets are
//   appended to a second one (`tickets_day_YYYY_MM_DD_ends`), as ticket-ends.ts explains,
//   and `rowsOfDay` puts them over the rows;
// - a citizen's tickets of a month in up to 16 documents, the part of the month a ticket
//   falls in chosen by its id (`user_tickets`, _id = "<user>:YYYY-MM:<part>"), holding
//   their rows by ticket id, each packed into one JSON string, and one document listing
//   the parts (`user_ticket_months`, _id = user, `months`: "YYYY-MM:<part>"), for "my
//   tickets": reads by _id only, however long the office has run. A month over, its
//   tickets all ended, is folded into the citizen's year (`<user>:YYYY`, listed as "YYYY";
//   closed-months.ts), so those reads are this month's and last month's parts and one per
//   year. FerretDB rewrites a whole document on every update, so each
//   ticket's arrival and end rewrote all of its citizen's month: with one document per
//   month, issuing cost the database 2.5-4.3 ms per ticket against 0.9-1.2 without those
//   writes (load:tickets, 32 citizens each taking hundreds of tickets); in 16 parts,
//   2.0-2.5 (4 parts: 2.8-3.3; 64: 1.7-2.0, but up to 64 reads a month). Documents written
//   before the parts, one per month (_id "<user>:YYYY-MM", listed as "YYYY-MM"), are read
//   as they are.
// Views take exactly the rows the read model took (read-model.ts decides which version
// wins), so they are as fresh as it is and never move further back than it could.
import type { Filter } from "mongodb";
import type { Connection, Model } from "mongoose";
import { mapLimited } from "../../mixins/db/limited.ts";
import { readAhead } from "../../mixins/db/read-ahead.ts";
import { duplicateIndexes } from "../../mixins/db/claim.ts";
import { unpackDays } from "./day-pack-manifests.ts";
import { groupBy } from "../../mixins/group-by.ts";
import { supersedes, type WrittenRows } from "./read-model.ts";
import type { HostStore, TicketDoc } from "./store.ts";
import { appendOnce, endsOf, withEnds } from "./ticket-ends.ts";
import { dayRowOf, packedDayRow, type PackedDayRow } from "./day-rows.ts";
import { TicketIdSet } from "./ticket-id-set.ts";
import type { Collection } from "mongodb";

export interface UserTicketsDoc {
  _id: string; // "<user id>:YYYY-MM:<part>" (or "<user id>:YYYY-MM", "<user id>:YYYY": see UserMonthsDoc)
  tickets: Record<string, StoredCitizenRow>;
  /** Ended tickets' last versions, kept apart so that no late write of an older version
   * can replace them (their rows leave `tickets` when they end). */
  ends?: Record<string, StoredCitizenRow>;
}

/**
 * A row in a citizen's document: packed into one JSON string, or (written before packing)
 * as it is. FerretDB decodes and encodes a whole document on every update of it, and a
 * ticket's arrival and end each update their citizen's part: with every field of every
 * row a field of the document, those updates were most of its CPU while tickets were
 * issued (docs/bench-runs/2026-12-05-packed-citizen-rows.md).
 */
type StoredCitizenRow = TicketDoc | string;
export const packedCitizenRow = (row: TicketDoc): string => JSON.stringify(row);
const citizenRowOf = (stored: StoredCitizenRow): TicketDoc => (typeof stored === "string" ? (JSON.parse(stored) as TicketDoc) : stored);

export interface UserMonthsDoc {
  _id: string; // the user id
  /** The documents holding their tickets: parts of months ("YYYY-MM:<part>"), whole months written before the parts ("YYYY-MM"), folded years ("YYYY"). */
  months: string[];
}

export const USER_TICKETS = "user_tickets";
export const USER_MONTHS = "user_ticket_months";

type CitizenRow = Pick<TicketDoc, "_id" | "user_id" | "day">;
/** The month (YYYY-MM) a row is filed under: that of its day. */
export const monthOf = (row: Pick<TicketDoc, "day">) => row.day.slice(0, 7);
/** A citizen's document of a whole month, as written before the parts (load-tests seed history so). */
export const monthKey = (row: Pick<TicketDoc, "user_id" | "day">) => `${row.user_id}:${monthOf(row)}`;

const PARTS_PER_MONTH = 16;

/** The part of its month a ticket is filed in, from its id alone (FNV-1a), so every node agrees without asking. */
function partOf(ticketId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ticketId.length; i++) hash = Math.imul(hash ^ ticketId.charCodeAt(i), 0x01000193);
  return ((hash >>> 0) % PARTS_PER_MONTH).toString(16);
}

/** How the months document lists a row's part: "YYYY-MM:<part>". */
const listedPart = (row: CitizenRow) => `${monthOf(row)}:${partOf(row._id)}`;
/** A row's citizen document: its user, its month and the part of it. */
export const partKey = (row: CitizenRow) => `${row.user_id}:${listedPart(row)}`;

/** The citizens' documents through the driver: written and read whole, by _id only. */
const rawUsers = (store: HostStore) => store.tickets.db.collection<UserTicketsDoc>(USER_TICKETS);
const rawMonths = (store: HostStore) => store.tickets.db.collection<UserMonthsDoc>(USER_MONTHS);

/** The citizens' documents and the documents listing them, through the driver. */
export interface CitizenDocs {
  tickets: Collection<UserTicketsDoc>;
  months: Collection<UserMonthsDoc>;
}

export const citizenDocs = (store: HostStore): CitizenDocs => ({ tickets: rawUsers(store), months: rawMonths(store) });

/** Every ticket a citizen ever took, as the read model holds it: a few reads by _id (one per document listed). */
export async function ticketsOfUser(store: HostStore, userId: string): Promise<TicketDoc[]> {
  const docs = citizenDocs(store);
  const listed = (await docs.months.findOne({ _id: userId }))?.months ?? [];
  return rowsOf(await readListed(docs, userId, listed));
}

/** The citizen's documents named by entries of their months document, a few reads at a time. */
export const readListed = (docs: CitizenDocs, userId: string, entries: readonly string[]) =>
  mapLimited(entries, MONTH_READS_IN_FLIGHT, (entry) => docs.tickets.findOne({ _id: `${userId}:${entry}` }));

/** The tickets some of a citizen's documents hold, each once and as it is now. */
export function rowsOf(docs: ReadonlyArray<UserTicketsDoc | null>): TicketDoc[] {
  // A ticket that arrived before the parts may have a later version in its part too.
  const rows = new Map<string, TicketDoc>();
  for (const row of docs.flatMap((doc) => Object.values(doc?.tickets ?? {}).map(citizenRowOf))) if (supersedes(row, rows.get(row._id))) rows.set(row._id, row);
  // An end is in its year's document and, while its month is being folded, in its month's too (closed-months.ts).
  const ends = new Map(docs.flatMap((doc) => Object.values(doc?.ends ?? {}).map(citizenRowOf)).map((end) => [end._id, end]));
  return withEnds([...rows.values()], [...ends.values()]);
}

const MONTH_READS_IN_FLIGHT = 8;

/** A month is over for every office once its last day has ended everywhere: two days' margin covers any time zone. */
const OVER_AFTER_MS = 2 * 24 * 3_600_000;
/** The month (YYYY-MM) before which every month is over at `now`: nothing new is filed in those (closed-months.ts folds them). */
export const monthsOverBefore = (now: number) => new Date(now - OVER_AFTER_MS).toISOString().slice(0, 7);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const dayCollectionName = (day: string) => {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  return `tickets_day_${day.replaceAll("-", "_")}`;
};

/** Where the ends of one day's tickets are appended. */
export const dayEndsCollectionName = (day: string) => `${dayCollectionName(day)}_ends`;

/** One local day's tickets (YYYY-MM-DD) as they are in the read model, those matching
 * `filter` (on fields a ticket's end does not change, which a packed row keeps as fields:
 * its queue, organisation, branch, citizen; day-rows.ts). */
export async function rowsOfDay(store: HostStore, day: string, filter: Record<string, unknown> = {}): Promise<TicketDoc[]> {
  const byFields = filter as Filter<PackedDayRow>;
  const [rows, ends] = await Promise.all([rawDay(store, day).find(byFields).toArray(), rawDayEnds(store, day).find(byFields).toArray()]);
  return withEnds(rows.map(dayRowOf), ends.map(dayRowOf));
}

/**
 * The same, streamed for a reader that must not hold a day in memory: the day's ends first
 * (their ids kept: a day's worth, about 25 bytes each in a TicketIdSet, where a Set of the
 * strings would take about 150 MB per million), then the rows that have none, each read a
 * batch ahead. Through the driver: the rows are the projector's, valid already.
 */
export async function* streamRowsOfDay(db: Connection, day: string, filter: Filter<PackedDayRow>, batchSize: number): AsyncGenerator<TicketDoc> {
  const ended = new TicketIdSet();
  for await (const end of readAhead(db.collection<PackedDayRow>(dayEndsCollectionName(day)).find(filter, { batchSize }))) {
    ended.add(end._id);
    yield dayRowOf(end);
  }
  for await (const row of readAhead(db.collection<PackedDayRow>(dayCollectionName(day)).find(filter, { batchSize }))) if (!ended.has(row._id)) yield dayRowOf(row);
}

/** A day's views through the driver: the rows are the read model's, valid already, stored packed (day-rows.ts). */
const rawDay = (store: HostStore, day: string) => store.tickets.db.collection<PackedDayRow>(dayCollectionName(day));
const rawDayEnds = (store: HostStore, day: string) => store.tickets.db.collection<PackedDayRow>(dayEndsCollectionName(day));

/**
 * Writes rows the read model has just taken into the day and citizen views. New rows go to
 * their day in one insert (an upsert costs FerretDB a lookup and a write per row); the
 * rows are the read model's, already valid, so they go through the driver as they are.
 * Answers the citizens a part was listed for (their months may be folded: closed-months.ts).
 */
export async function writeViews(store: HostStore, { inserted, updated, ended }: WrittenRows): Promise<string[]> {
  // Rows without a day (none is issued without one) have no view to go to.
  const dated = (list: TicketDoc[]) => list.filter((row) => DAY.test(row.day ?? ""));
  const [newRows, changedRows, endedRows] = [dated(inserted), dated(updated), dated(ended)];
  const citizens = (list: TicketDoc[]) => list.filter((row) => row.user_id);
  const byPart = groupBy(citizens([...newRows, ...changedRows]), partKey);
  const endsByPart = groupBy(citizens(endedRows), partKey);
  // A citizen's parts only change when a ticket is written to a part not listed yet: it
  // arrived, or ended (its arrival may have been projected with its end, as an end alone),
  // or changed having arrived before the parts, in its month's whole document. A write to
  // a month that is over is listed again whatever this node remembers: the month may
  // have been folded and unlisted since (closed-months.ts), by this node or another.
  const listed = listedParts(store);
  const over = monthsOverBefore(Date.now());
  const unlisted = (row: TicketDoc) => !listed.has(partKey(row)) || monthOf(row) < over;
  const newParts = groupBy(citizens([...newRows, ...changedRows, ...endedRows]).filter(unlisted), (row) => row.user_id!);
  const replace = (day: string, dayRows: TicketDoc[]) =>
    dayRows.length ? rawDay(store, day).bulkWrite(dayRows.map((row) => ({ replaceOne: { filter: { _id: row._id }, replacement: packedDayRow(row), upsert: true } })), { ordered: false }) : null;
  const insert = async (day: string, dayRows: TicketDoc[]) => {
    try {
      await rawDay(store, day).insertMany(dayRows.map(packedDayRow), { ordered: false });
    } catch (err) {
      // There already (a replay, a backfill): written again as it is now.
      const duplicates = duplicateIndexes(err);
      if (!duplicates) throw err;
      await replace(day, duplicates.map((index) => dayRows[index]!));
    }
  };
  const userWrites = [...new Set([...byPart.keys(), ...endsByPart.keys()])].map((key) => {
    const [open, ends] = [byPart.get(key) ?? [], endsByPart.get(key) ?? []];
    const $set = Object.fromEntries([...open.map((row) => [`tickets.${row._id}`, packedCitizenRow(row)]), ...ends.map((row) => [`ends.${row._id}`, packedCitizenRow(row)])]);
    const update = ends.length ? { $set, $unset: Object.fromEntries(ends.map((row) => [`tickets.${row._id}`, "" as const])) } : { $set };
    return { updateOne: { filter: { _id: key }, update, upsert: true } };
  });
  const monthWrites = [...newParts].map(([userId, userRows]) => ({
    updateOne: { filter: { _id: userId }, update: { $addToSet: { months: { $each: [...new Set(userRows.map(listedPart))] } } }, upsert: true },
  }));
  await Promise.all([
    ...[...groupBy(newRows, (row) => row.day)].map(([day, dayRows]) => insert(day, dayRows)),
    ...[...groupBy(changedRows, (row) => row.day)].map(([day, dayRows]) => replace(day, dayRows)),
    ...[...groupBy(endedRows, (row) => row.day)].map(([day, dayRows]) => appendOnce(() => rawDayEnds(store, day).insertMany(dayRows.map(packedDayRow), { ordered: false }))),
    userWrites.length ? rawUsers(store).bulkWrite(userWrites, { ordered: false }) : null,
    monthWrites.length ? rawMonths(store).bulkWrite(monthWrites, { ordered: false }) : null,
  ]);
  listed.add([...newParts.values()].flat().map(partKey));
  // A closed day written to (a ticket ended days late): its export packs no longer hold
  // it. After the write, so that a packing that starts later reads it.
  await unpackDays(store.tickets.db, [...new Set([...newRows, ...changedRows, ...endedRows].map((row) => row.day))], Date.now());
  return [...newParts.keys()];
}

/**
 * The citizens' parts this node has written to `user_ticket_months`, so that a citizen's
 * next ticket of the same part costs no rewrite of that document (FerretDB rewrites a
 * document whole on every update, even one that changes nothing). Per node and in memory:
 * after a restart, or once forgotten, a part is written again, which changes nothing.
 */
class ListedParts {
  private readonly keys = new Set<string>();
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(keys: string[]): void {
    // Forgetting everything now and then keeps it bounded; the cost is one write per citizen.
    if (this.keys.size + keys.length > LISTED_PARTS_KEPT) this.keys.clear();
    for (const key of keys) this.keys.add(key);
  }
}

const LISTED_PARTS_KEPT = 100_000;
const listedByStore = new WeakMap<HostStore, ListedParts>();
const listedParts = (store: HostStore) => listedByStore.get(store) ?? listedByStore.set(store, new ListedParts()).get(store)!;


/**
 * Writes the views of rows the read model already holds: for a database from before the
 * views existed (`npm run backfill:ticket-views`). One pass over the rows, then one over
 * the ends, in batches; safe to run again, and beside a running node (a row is copied as
 * it is now). Counts the documents copied.
 */
export async function backfillViews(store: HostStore, filter: Record<string, unknown> = {}, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  const copy = async (source: Model<TicketDoc>, written: (rows: TicketDoc[]) => WrittenRows) => {
    let batch: TicketDoc[] = [];
    const flush = async () => {
      await writeViews(store, written(batch));
      done += batch.length;
      batch = [];
      onBatch?.(done);
    };
    for await (const row of source.find(filter).lean<TicketDoc>().cursor()) {
      batch.push(row);
      if (batch.length === BACKFILL_BATCH) await flush();
    }
    if (batch.length) await flush();
  };
  await copy(store.tickets, (rows) => ({ inserted: rows, updated: [], ended: [] }));
  await copy(endsOf(store.tickets), (rows) => ({ inserted: [], updated: [], ended: rows }));
  return done;
}

const BACKFILL_BATCH = 500;
