// Updates by _id on one collection, grouped (write-groups.ts): the updates asked for while
// a bulkWrite is in flight there go together in the next one; each is answered by its own
// outcome. Through the driver, so the caller gives values already of their
// stored types (mongoose casts nothing here).
import type { Model } from "mongoose";
import { groupsPer, WriteGroups, type Outcomes } from "./write-groups.ts";

interface UpdateById {
  id: string;
  update: Record<string, unknown>;
}

/**
 * One ordered bulkWrite: the updates before a refused one are applied and the rest are
 * not — on FerretDB an unordered one stops at its first error too, without saying so — so
 * the rest are sent again, after it.
 */
async function updateInOrder(model: Model<any>, updates: UpdateById[]): Promise<Outcomes<void>> {
  if (!updates.length) return [];
  const ops = updates.map(({ id, update }) => ({ updateOne: { filter: { _id: id }, update } }));
  try {
    await model.collection.bulkWrite(ops as never[], { ordered: true });
    return updates.map(() => ({ ok: true, result: undefined }));
  } catch (err) {
    const refused = (err as { writeErrors?: Array<{ index: number }> }).writeErrors?.[0];
    if (!refused) throw err;
    const applied: Outcomes<void> = updates.slice(0, refused.index).map(() => ({ ok: true, result: undefined }));
    return [...applied, { ok: false, error: refused }, ...(await updateInOrder(model, updates.slice(refused.index + 1)))];
  }
}

const updateGroups = groupsPer((model: Model<any>) => new WriteGroups<UpdateById, void>((updates) => updateInOrder(model, updates)));

/** Updates one document by _id, in one bulkWrite with the other updates of its collection meanwhile. */
export function updateByIdGrouped(model: Model<any>, id: string, update: Record<string, unknown>): Promise<void> {
  return updateGroups(model).add({ id, update });
}
