// One mongoose connection per node, shared by that node's services (each service still
// owns its own collections and never touches another's).
import mongoose, { type Connection } from "mongoose";

export async function connectMongo(url: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 10_000,
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
