// `npm run backfill:ticket-views`: writes the day and citizen views of every ticket already
// in the read model (actors/host/ticket-views.ts), for a database from before the lists
// read those views. Without it, such a database's older tickets are missing from
// `tickets/` and `tickets/my/`. Safe to run twice, and while nodes run.
import path from "node:path";
import { backfillViews } from "../actors/host/ticket-views.ts";
import { hostStore } from "../actors/host/store.ts";
import { loadConfig } from "../config/index.ts";
import { connectMongo } from "../mixins/db/connection.ts";
import { provideMongo } from "./mongo-server.ts";

const config = loadConfig();
const mongo = await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) });
const db = await connectMongo(mongo.url);
try {
  const done = await backfillViews(hostStore(db), {}, (n) => console.error(`${n.toLocaleString("en-US")} rows and ends`));
  console.log(`Wrote the views of ${done.toLocaleString("en-US")} rows and ends.`);
} finally {
  await db.close();
  await mongo.stop();
}
