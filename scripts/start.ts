// `npm start`: one SmartQueue node on embedded defaults. Starts a local MongoDB-compatible
// server when MONGO_URL is not set, and stops it again on SIGINT/SIGTERM.
import path from "node:path";
import { ConfigError, loadConfig } from "../config/index.ts";
import { NoMongoError, provideMongo } from "./mongo-server.ts";
import { usesDatabase } from "../services/catalog.ts";
import { startNode } from "../services/node.ts";

const NO_DATABASE = { url: "", source: "none: this node uses no database", pid: null, stop: async () => {} };

async function main() {
  const config = loadConfig();
  // A node of live channels only uses no database, so none is started for it.
  const mongo = usesDatabase(config.services)
    ? await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) })
    : NO_DATABASE;
  const node = await startNode(config, mongo.url).catch(async (err) => {
    await mongo.stop();
    throw err;
  });
  node.broker.logger.info(`SmartQueue on http://${config.host}:${config.port} (MongoDB: ${mongo.source})`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.broker.logger.info(`${signal}: stopping`);
    await node.stop();
    await mongo.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  // Configuration and missing-database problems are the user's to fix: one clear line.
  if (err instanceof ConfigError || err instanceof NoMongoError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
