// The mongoose connections of a node, shared by its services (each service still owns its
// own collections and never touches another's): one for the answers' own reads and
// writes, and one of a few sockets for the writes made behind them (services/node.ts).
import mongoose, { type Connection } from "mongoose";

/** `maxPoolSize`: at most this many commands of this connection at the database at once. */
export async function connectMongo(url: string, { maxPoolSize }: { maxPoolSize?: number } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 10_000,
    ...(maxPoolSize && { maxPoolSize }),
    // Indexes are created explicitly at start-up (see ensureIndexes), not lazily.
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  return connection;
}

export async function mongoAnswers(connection: Connection): Promise<boolean> {
  try {
    await connection.db!.admin().ping();
    return true;
  } catch {
    return false;
  }
}
