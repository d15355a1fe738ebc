// Mongoose models bound to one connection, registered once per connection so that
// several services (or test nodes) sharing it do not redefine them.
import type { Connection, Model, Schema } from "mongoose";

export function modelOf<T>(db: Connection, name: string, schema: Schema<T>, collection?: string): Model<T> {
  return (db.models[name] as Model<T>) ?? db.model<T>(name, schema, collection);
}

/** Indexes are created on start-up, explicitly: autoIndex is off (see connection.ts). */
export async function ensureIndexes(store: Record<string, Model<any>>): Promise<void> {
  await Promise.all(Object.values(store).map((m) => m.createIndexes()));
}

/** MongoDB's answers for a collection never written (it has no index) and for an index
 * that is not there (another node dropped it first); FerretDB answers the same. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

/** Drops the named indexes where they exist: those a newer version no longer keeps. */
export async function dropIndexes(model: Model<any>, names: readonly string[]): Promise<void> {
  const indexes = await model.collection.indexes().catch((err: { code?: number }) => {
    if (err.code !== NAMESPACE_NOT_FOUND) throw err;
    return [];
  });
  const present = new Set(indexes.map((index) => index.name));
  for (const name of names.filter((n) => present.has(n))) {
    await model.collection.dropIndex(name).catch((err: { code?: number }) => {
      if (err.code !== INDEX_NOT_FOUND) throw err;
    });
  }
}
