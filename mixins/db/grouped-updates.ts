// Updates by _id on one collection, grouped (write-groups.ts): the updates asked for while
// a bulkWrite is in flight there go together in the next one. Through the driver, so the
// caller gives values already of their stored types (mongoose casts nothing here).
//
// A group stands or falls as one: when the database refuses one of its updates, every
// update of the group is answered with that error. FerretDB stops a bulk write at its
// first refused update, unordered or not, and reports it at index 0 whatever its place
// (FerretDB 1.24, docs/bench-runs/2026-12-03-per-command-costs.md), so which of the others landed cannot be told — as with
// a single update that timed out, a caller may not assume either way. The write is
// ordered, so on either server none after the refused one lands. The updates made here
// are built by the code with their stored types: a refusal is a bug, not a load case.
import type { Model } from "mongoose";
import { groupsPer, WriteGroups } from "./write-groups.ts";

interface UpdateById {
  id: string;
  update: Record<string, unknown>;
}

const updateGroups = groupsPer((model: Model<any>) =>
  new WriteGroups<UpdateById, void>(async (updates) => {
    await model.collection.bulkWrite(updates.map(({ id, update }) => ({ updateOne: { filter: { _id: id }, update } })) as never[], { ordered: true });
    return updates.map(() => undefined);
  }),
);

/** Updates one document by _id, in one bulkWrite with the other updates of its collection meanwhile. */
export function updateByIdGrouped(model: Model<any>, id: string, update: Record<string, unknown>): Promise<void> {
  return updateGroups(model).add({ id, update });
}
