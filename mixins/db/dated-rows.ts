// An owner's documents by an instant (an appointment's start, a payment's creation), for a
// list of a window of them: a row `<length>:<owner>:<instant ISO>#<document id>` per
// document (owner-prefix.ts), holding the fields that never change and a list picks by,
// written once before the document. A list reads the rows of its window, one range per day
// (instant-ranges.ts), then the documents it shows by _id: what the owner has in that
// window, whatever else the collection holds. Filtered on the owner and a date field, the
// embedded server scans the whole collection.
import type { Model } from "mongoose";
import { claimOnce } from "./claim.ts";
import { findEachById } from "./find-each.ts";
import { dailyKeyRanges } from "./instant-ranges.ts";
import { mapLimited } from "./limited.ts";
import { ownerPrefix } from "./owner-prefix.ts";

/** Ranges (days) read at once for one list. */
const READS_IN_FLIGHT = 8;

/** A row as a list sees it: the document's id, its instant, and the row's fields. */
export type DatedRow<F> = F & { _id: string; at: Date };

export const datedRowId = (ownerId: string, at: Date, documentId: string) => `${ownerPrefix(ownerId)}${at.toISOString()}#${documentId}`;

/** Notes the owner's document at that instant; a second note of it changes nothing. */
export async function noteDated<F extends object>(rows: Model<F & { _id: string }>, ownerId: string, at: Date, documentId: string, fields: F): Promise<void> {
  await claimOnce(rows, datedRowId(ownerId, at, documentId), fields as never);
}

/** The rows of the owner's documents whose instant is in [from, until). */
export async function datedRowsBetween<F extends object>(rows: Model<F & { _id: string }>, ownerId: string, from: Date, until: Date): Promise<Array<DatedRow<F>>> {
  const prefix = ownerPrefix(ownerId);
  const ranges = dailyKeyRanges((at) => `${prefix}${at.toISOString()}`, from, until);
  const found = await mapLimited(ranges, READS_IN_FLIGHT, (range) => rows.find(range as never).lean<Array<F & { _id: string }>>());
  return found.flat().map(({ _id, ...fields }) => {
    const key = _id.slice(prefix.length);
    const hash = key.indexOf("#");
    return { ...(fields as unknown as F), _id: key.slice(hash + 1), at: new Date(key.slice(0, hash)) };
  });
}

/** The rows' documents as they are now, in the rows' order. One not there, or that `still`
 * says no longer matches its row (another owner's, moved from its instant, a repeat's row),
 * is left out. */
export async function documentsOfRows<D, R extends { _id: string }>(documents: Model<D>, rows: readonly R[], still: (doc: D, row: R) => boolean): Promise<D[]> {
  const found = await findEachById(documents, rows.map((row) => row._id));
  return found.filter((doc, i): doc is D => doc !== null && still(doc, rows[i]!));
}
