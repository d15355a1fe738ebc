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
