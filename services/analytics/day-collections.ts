// Records filed by UTC day, one collection per day (`<prefix>_YYYY_MM_DD`): a day's records
// are read with a scan of that day's collection alone, so reading a period costs what its
// days hold, never the whole history (the embedded server scans for any filter but _id).
import type { Connection, Model, Schema } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The model of one day's collection of records of this kind. */
export function dayModel<T>(db: Connection, prefix: string, schema: Schema<T>, day: string): Model<T> {
  if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
  const name = `${prefix}_${day.replaceAll("-", "_")}`;
  return modelOf(db, name, schema, name);
}
