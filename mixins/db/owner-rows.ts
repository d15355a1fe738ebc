// An owner's documents of a growing collection found through rows under the owner's prefix
// (owner-prefix.ts): a row `<length>:<owner>:<document id>`, written once before the
// document itself (a write that fails in between leaves a row that points at nothing, and
// is skipped). A list reads that range of _ids, then each document by _id, as it is now:
// the owner's own, whatever else the collection holds. Filtered on the owner's field, the
// embedded server scans the whole collection.
import type { Model } from "mongoose";
import { claimOnce } from "./claim.ts";
import { findEachById } from "./find-each.ts";
import { ofOwner, ownerPrefix } from "./owner-prefix.ts";

export const ownerRowId = (ownerId: string, documentId: string) => `${ownerPrefix(ownerId)}${documentId}`;

/** Notes that the owner holds the document; a second note of it changes nothing. */
export async function noteOwned(rows: Model<{ _id: string }>, ownerId: string, documentId: string): Promise<void> {
  await claimOnce(rows, ownerRowId(ownerId, documentId));
}

/** Every document the owner's rows point at that `owns` says is still theirs, as it is now, in no particular order. */
export async function ownedDocuments<D extends { _id: string }>(rows: Model<{ _id: string }>, documents: Model<D>, ownerId: string, owns: (doc: D) => boolean): Promise<D[]> {
  const prefix = ownerPrefix(ownerId);
  const found = await rows.find(ofOwner(ownerId)).lean<Array<{ _id: string }>>();
  const docs = await findEachById(documents, found.map((row) => row._id.slice(prefix.length)));
  return docs.filter((doc): doc is D => doc !== null && owns(doc));
}
