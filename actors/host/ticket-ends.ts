// A ticket's last version (completed, cancelled, no-show, expired) is appended, not
// written over its row: `ticket_ends` holds it under the ticket's id, beside the row its
// arrival inserted in `tickets`. On the embedded server an update that changes a row
// costs about five inserts of one (`npm run load:row-writes`), and every ticket served
// would pay one for its row and one for its day's view. Nothing supersedes a last version, so a reader takes
// the end when there is one and the row otherwise: `readTicketRow`, two reads by _id.
import type { Model } from "mongoose";
import { duplicateIndexes } from "../../mixins/db/claim.ts";
import { modelOf } from "../../mixins/db/models.ts";
import { ticketSchema, type TicketDoc } from "./store.ts";

export const TICKET_ENDS = "ticket_ends";

/** Where the ends of the tickets whose rows are in `tickets` go: the same database. */
export const endsOf = (tickets: Model<TicketDoc>): Model<TicketDoc> => modelOf(tickets.db, "TicketEnd", ticketSchema, TICKET_ENDS);

/** A ticket's row as the read model holds it now: its end if it has ended, else its row. */
export async function readTicketRow<T extends Partial<TicketDoc> = TicketDoc>(tickets: Model<TicketDoc>, id: string, projection?: Record<string, 1>): Promise<T | null> {
  const [row, end] = await Promise.all([tickets.findById(id, projection).lean<T>(), endsOf(tickets).findById(id, projection).lean<T>()]);
  return end ?? row;
}

/** Rows of one list with the ends of those that ended put over them (by ticket id). */
export function withEnds(rows: readonly TicketDoc[], ends: readonly TicketDoc[]): TicketDoc[] {
  const endOf = new Map(ends.map((end) => [end._id, end]));
  const listed = rows.map((row) => endOf.get(row._id) ?? row);
  const seen = new Set(rows.map((row) => row._id));
  // An end whose arrival row was never written (its arrival and end were projected as one).
  return [...listed, ...ends.filter((end) => !seen.has(end._id))];
}

/**
 * Runs an unordered insert of documents that, once written, never change. One refused as
 * already there is the same version again (a replay or a retry), so that is no error.
 */
export async function appendOnce(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!duplicateIndexes(err)) throw err;
  }
}
