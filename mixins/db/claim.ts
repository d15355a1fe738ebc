// Claiming something exactly once across concurrent callers and nodes. An insert under a
// unique _id is the one conditional write that is atomic on MongoDB and on FerretDB
// alike: FerretDB (SQLite backend) runs findOneAndUpdate and updateOne as read-then-
// write, so concurrent conditional updates can all succeed there.
import { Schema, type Model } from "mongoose";
import { checkable, insertOneChecked } from "./checked-insert.ts";

/** A claim: its _id says what was claimed; it may be purged once it expires. */
export interface ClaimDoc {
  _id: string;
  /** When the claim stops mattering and may be purged. */
  expires_at: Date;
}

/** The schema of a collection of claims. */
export const claimSchema = (collection: string) =>
  new Schema<ClaimDoc>({ _id: String, expires_at: { type: Date, required: true } }, { collection, versionKey: false });

export const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** true if this caller made the claim, false if someone already had. A claim of a flat
 * schema goes to the driver once checked (checked-insert.ts): claims are on the hot paths
 * (notifications, analytics, idempotency keys), and `create` built a Document for each. */
export async function claimOnce<D>(model: Model<D>, id: string, fields: Partial<D> = {}): Promise<boolean> {
  try {
    if (checkable(model)) await insertOneChecked(model, { ...fields, _id: id });
    else await model.create({ ...fields, _id: id });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Claims the first free numbered place (`idOf(n)`, n from `from` up to `limit`), by insert;
 * answers its number, or null when every place up to the limit is taken. Places are taken
 * in order, so a caller may start from where it last found one free.
 */
export async function claimFirstFree<D>(model: Model<D>, idOf: (n: number) => string, fields: Partial<D>, from = 0, limit = Infinity): Promise<number | null> {
  for (let n = from; n < limit; n++) if (await claimOnce(model, idOf(n), fields)) return n;
  return null;
}

/** For an unordered bulk insert that failed: the indexes of the documents refused as
 * duplicates, or null when anything else went wrong. */
export function duplicateIndexes(err: unknown): number[] | null {
  const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }).writeErrors;
  if (!writeErrors?.every((e) => (e.code ?? e.err?.code) === 11000)) return null;
  return writeErrors.map((e) => e.index);
}
