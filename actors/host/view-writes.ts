// How the projector writes rows into the views the lists read (ticket-views.ts,
// citizen-rows.ts): the rows are the read model's, valid already, so they go through the
// driver as they are. A new row is inserted, in one insert per view and batch (an upsert
// costs FerretDB a lookup and a write per row); one that is there already (a replay, a
// backfill) or a changed one replaces the stored one.
import type { Collection, Document } from "mongodb";
import { duplicateIndexes } from "../../mixins/db/claim.ts";

/** Replaces each document by _id, inserting the ones not there yet. */
export const replaceEach = <D extends Document & { _id: string }>(collection: Collection<D>, docs: D[]) =>
  docs.length ? collection.bulkWrite(docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id } as never, replacement: doc, upsert: true } })), { ordered: false }) : null;

/** Inserts the documents; those already there are written again as they are now. */
export async function insertOrReplace<D extends Document & { _id: string }>(collection: Collection<D>, docs: D[]): Promise<void> {
  if (!docs.length) return;
  try {
    await collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (!duplicates) throw err;
    await replaceEach(collection, duplicates.map((index) => docs[index]!));
  }
}
