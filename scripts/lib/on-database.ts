// A one-off task on the configured database (MONGO_URL, or the embedded server started for
// it, as `npm start` would), closed and stopped whatever the task does.
import path from "node:path";
import type { Connection } from "mongoose";
import { loadConfig } from "../../config/index.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { provideMongo } from "../mongo-server.ts";

export async function onDatabase(task: (db: Connection) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const mongo = await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) });
  const db = await connectMongo(mongo.url);
  try {
    await task(db);
  } finally {
    await db.close();
    await mongo.stop();
  }
}
