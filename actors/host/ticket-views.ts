// Bounded views of the tickets read model, for the lists people look at every day. The
// embedded server scans a collection for any filter that is not on _id alone, so a list
// filtered by organisation or user over the whole `tickets` collection gets slower with
// every day of history. Each view is written by the projector beside the row itself:
// - one collection per local day (`tickets_day_YYYY_MM_DD`), for the staff list of a
//   day's tickets: a filter scans that day only;
// - one document per citizen (`user_tickets`, _id = user id) holding their rows by ticket
//   id, for "my tickets": one read by _id, however long the office has run.
// Views take exactly the rows the read model took (read-model.ts decides which version
// wins), so they are as fresh as it is and never move further back than it could.
import { Schema, type AnyBulkWriteOperation, type Model } from "mongoose";
import { modelOf } from "../../platform/mongo/models.ts";
import { ticketSchema, type HostStore, type TicketDoc } from "./store.ts";

export interface UserTicketsDoc {
  _id: string;
  tickets: Record<string, TicketDoc>;
}

const userTicketsSchema = new Schema<UserTicketsDoc>(
  { _id: String, tickets: { type: Schema.Types.Mixed, default: {} } },
  { collection: "user_tickets", versionKey: false, minimize: false },
);

export const userTickets = (store: HostStore): Model<UserTicketsDoc> => modelOf(store.tickets.db, "UserTickets", userTicketsSchema);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The collection of one local day's tickets (YYYY-MM-DD). */
export function ticketsOfDay(store: HostStore, day: string): Model<TicketDoc> {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  const suffix = day.replaceAll("-", "_");
  return modelOf(store.tickets.db, `TicketsDay_${suffix}`, ticketSchema, `tickets_day_${suffix}`);
}

/** Writes rows the read model has just taken into the day and citizen views. */
export async function writeViews(store: HostStore, rows: readonly TicketDoc[]): Promise<void> {
  const byDay = groupBy(rows.filter((row) => row.day && DAY.test(row.day)), (row) => row.day);
  const byUser = groupBy(rows.filter((row) => row.user_id), (row) => row.user_id!);
  const dayWrites = [...byDay].map(([day, dayRows]) =>
    ticketsOfDay(store, day).bulkWrite(
      dayRows.map((row) => ({ replaceOne: { filter: { _id: row._id }, replacement: row, upsert: true } })),
      { ordered: false },
    ),
  );
  const userWrites: AnyBulkWriteOperation<UserTicketsDoc>[] = [...byUser].map(([userId, userRows]) => ({
    updateOne: { filter: { _id: userId }, update: { $set: Object.fromEntries(userRows.map((row) => [`tickets.${row._id}`, row])) }, upsert: true },
  }));
  await Promise.all([...dayWrites, userWrites.length ? userTickets(store).bulkWrite(userWrites, { ordered: false }) : null]);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Writes the views of rows the read model already holds: for a database from before the
 * views existed (`npm run backfill:ticket-views`). One pass over the collection, in
 * batches; safe to run again, and beside a running node (a row is copied as it is now).
 */
export async function backfillViews(store: HostStore, filter: Record<string, unknown> = {}, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  let batch: TicketDoc[] = [];
  const flush = async () => {
    await writeViews(store, batch);
    done += batch.length;
    batch = [];
    onBatch?.(done);
  };
  for await (const row of store.tickets.find(filter).lean<TicketDoc>().cursor()) {
    batch.push(row);
    if (batch.length === BACKFILL_BATCH) await flush();
  }
  if (batch.length) await flush();
  return done;
}

const BACKFILL_BATCH = 500;
