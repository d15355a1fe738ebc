// Claiming something exactly once across concurrent callers and nodes. An insert under a
// unique _id is the one conditional write that is atomic on MongoDB and on FerretDB
// alike: FerretDB (SQLite backend) runs findOneAndUpdate and updateOne as read-then-
// write, so concurrent conditional updates can all succeed there.
import { Schema, type Model } from "mongoose";
import { checkable, checkedDocuments, insertChecked } from "./checked-insert.ts";
import { groupsPer, WriteGroups } from "./write-groups.ts";

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
 * schema is checked (checked-insert.ts) and goes to the driver with the claims made on the
 * same collection meanwhile (below): claims are on the hot paths (notifications,
 * analytics, idempotency keys, the scheduler), and each was a Document and a database
 * transaction of its own. */
export async function claimOnce<D>(model: Model<D>, id: string, fields: Partial<D> = {}): Promise<boolean> {
  if (checkable(model)) return claimInBatch(model, checkedDocuments(model as unknown as Model<object>, [{ ...fields, _id: id }])[0]!);
  try {
    await model.create({ ...fields, _id: id });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Documents one claimEach inserts per command. The embedded server writes one command at a
 * time, each to its end: a batch written behind the answers (a second of tickets served,
 * a burst of tickets for the read model) in one insert of a thousand held every journal
 * append, and so every command's answer, for 30 to 50 ms
 * (docs/bench-runs/2026-12-05-bounded-background-writes.md).
 */
export const CLAIMS_PER_INSERT = 200;

/** Inserts checked documents (checked-insert.ts) once each, in unordered inserts of at most
 * `CLAIMS_PER_INSERT`, one after the other; answers those whose _id was taken already (a
 * replay, a retry, another node). */
export async function claimEach<D extends { _id: string }>(model: Model<D>, docs: D[]): Promise<D[]> {
  const taken: D[] = [];
  for (let from = 0; from < docs.length; from += CLAIMS_PER_INSERT) taken.push(...(await claimSlice(model, docs.slice(from, from + CLAIMS_PER_INSERT))));
  return taken;
}

async function claimSlice<D extends { _id: string }>(model: Model<D>, docs: D[]): Promise<D[]> {
  try {
    await insertChecked(model, docs);
    return [];
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (!duplicates) throw err;
    return duplicates.map((index) => docs[index]!);
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

// Claims made on one collection while an insert of claims is in flight there go together
// in the next one (write-groups.ts): one unordered insertMany, each claim answered by
// whether its document went in or was refused as a duplicate. In a busy office the
// notifications of one call (the called ticket and the near ones) share a write.
const claimGroups = groupsPer((model: Model<any>) =>
  new WriteGroups<object, boolean>(async (docs) => {
    try {
      await model.collection.insertMany(docs as never[], { ordered: false });
      return docs.map(() => true);
    } catch (err) {
      const refused = duplicateIndexes(err);
      if (!refused) throw err;
      return docs.map((_, i) => !refused.includes(i));
    }
  }),
);

/** Inserts a checked document with the other claims on its collection; true if it went in, false if its _id was taken. */
function claimInBatch(model: Model<any>, doc: object): Promise<boolean> {
  return claimGroups(model).add(doc);
}
