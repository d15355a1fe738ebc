// `npm run create-admin -- --phone 77 123 45 67 --password '…'`: creates a platform admin
// in the configured database (or the local one `npm start` uses), for operators who would
// rather not keep ADMIN_PASSWORD in the environment. Safe to run twice.
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config/index.ts";
import { AppError } from "../mixins/api/errors.ts";
import { connectMongo } from "../mixins/db/connection.ts";
import { NoMongoError, provideMongo } from "./mongo-server.ts";
import { ensurePlatformAdmin } from "../services/accounts/first-admin.ts";
import { accountsStore, ensureAccountsIndexes } from "../services/accounts/store.ts";

const USAGE = "usage: npm run create-admin -- --phone <phone> --password <password>";

async function main() {
  const { values } = parseArgs({ options: { phone: { type: "string" }, password: { type: "string" } } });
  if (!values.phone || !values.password) throw new UsageError(USAGE);
  const config = loadConfig();
  const mongo = await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) });
  const db = await connectMongo(mongo.url);
  try {
    const store = accountsStore(db);
    await ensureAccountsIndexes(store);
    const outcome = await ensurePlatformAdmin(store, { phone: values.phone, password: values.password }, config.defaultPhoneRegion);
    console.log(outcome === "created" ? `Created the platform admin ${values.phone}.` : `A user with the phone ${values.phone} already exists; nothing changed.`);
  } finally {
    await db.close();
    await mongo.stop();
  }
}

class UsageError extends Error {}

main().catch((err) => {
  const expected = err instanceof UsageError || err instanceof ConfigError || err instanceof NoMongoError || err instanceof AppError;
  const details = err instanceof AppError && err.data ? ` ${JSON.stringify(err.data)}` : "";
  console.error(expected ? `${err.message}${details}` : err);
  process.exit(1);
});
