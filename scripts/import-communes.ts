// `npm run import:communes -- <communes.csv|communes.geojson>`: loads the operator's full
// commune list into the configured database (or the local one `npm start` uses). Every row
// is checked first; nothing is written if one is wrong. Safe to run twice: communes are
// written by id (region.department.name). Running nodes see them within
// LOCATIONS_GAZETTEER_REFRESH_SECONDS.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../config/index.ts";
import { connectMongo } from "../mixins/db/connection.ts";
import { NoMongoError, provideMongo } from "./mongo-server.ts";
import { parseCommuneList, saveCommunes } from "../services/locations/commune-import.ts";
import { locationsStore } from "../services/locations/store.ts";

const USAGE = "usage: npm run import:communes -- <communes.csv|communes.geojson>";

async function main() {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new UsageError(USAGE);
  const { communes, issues } = parseCommuneList(file, readFileSync(file, "utf8"));
  if (issues.length) {
    for (const issue of issues.slice(0, 50)) console.error(`row ${issue.row}, ${issue.path}: ${issue.message}`);
    throw new UsageError(`${issues.length} problem(s) in ${file}; nothing was imported.`);
  }
  const config = loadConfig();
  const mongo = await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) });
  const db = await connectMongo(mongo.url);
  try {
    const { written } = await saveCommunes(locationsStore(db).communes, communes, new Date());
    console.log(`Imported ${written} communes from ${file}.`);
  } finally {
    await db.close();
    await mongo.stop();
  }
}

class UsageError extends Error {}

main().catch((err) => {
  const expected = err instanceof UsageError || err instanceof ConfigError || err instanceof NoMongoError;
  console.error(expected ? err.message : err);
  process.exit(1);
});
