// Deleting documents whose _ids are known. The embedded server pushes a filter down to the
// _id index only when it is `_id` equal to one value: `{_id: {$in: ids}}` scans the whole
// collection. So one delete command, a statement per _id.
import type { Model } from "mongoose";
import { groupsPer, WriteGroups } from "./write-groups.ts";

/** A mongoose model or a driver collection: both take the same bulk write of deletes. */
interface DeletableById {
  bulkWrite(operations: Array<{ deleteOne: { filter: { _id: string } } }>, options: { ordered: boolean }): Promise<unknown>;
}

export async function deleteByIds(model: DeletableById, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await model.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } })), { ordered: false });
}

// The deletes asked for while one is in flight on a collection go in the next command
// (write-groups.ts): in a busy office each was a command, and a transaction, of its own.
const deleteGroups = groupsPer((model: Model<any>) =>
  new WriteGroups<string, void>(async (ids) => {
    await deleteByIds(model, ids);
    return ids.map(() => undefined);
  }),
);

/** Deletes one document by _id, in one command with the other deletes of its collection meanwhile. */
export const deleteByIdGrouped = (model: Model<any>, id: string): Promise<void> => deleteGroups(model).add(id);
