// Deleting documents whose _ids are known. The embedded server pushes a filter down to the
// _id index only when it is `_id` equal to one value: `{_id: {$in: ids}}` scans the whole
// collection. So one delete command, a statement per _id.
import type { Model } from "mongoose";

export async function deleteByIds(model: Model<any>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await model.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } })), { ordered: false });
}
