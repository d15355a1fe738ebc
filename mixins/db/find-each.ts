// Documents whose _ids are known, read one find by _id each, a few at a time: the embedded
// server pushes a filter down to the `_id` index only when it is `_id` equal to one value,
// so `{_id: {$in: ids}}` would scan the whole collection.
import type { Model } from "mongoose";
import { mapLimited } from "./limited.ts";

/** Finds read at once. */
const FINDS_IN_FLIGHT = 8;

/** The document of each id, as it is now (null: none), in the order of the ids. */
export const findEachById = <D>(model: Model<D>, ids: readonly string[]): Promise<Array<D | null>> =>
  mapLimited(ids, FINDS_IN_FLIGHT, (id) => model.findById(id).lean<D>() as Promise<D | null>);
