// `npm run backfill:my-appointments`: notes every appointment already booked under its
// citizen (services/appointments/citizen-appointments.ts), for a database from before
// "my appointments" read those rows. Without it, such a database's older appointments are
// missing from a citizen's list. Safe to run twice, and while nodes run.
import path from "node:path";
import { loadConfig } from "../config/index.ts";
import { connectMongo } from "../mixins/db/connection.ts";
import { backfillCitizenAppointments } from "../services/appointments/citizen-appointments.ts";
import { appointmentsStore } from "../services/appointments/store.ts";
import { provideMongo } from "./mongo-server.ts";

const config = loadConfig();
const mongo = await provideMongo({ mongoUrl: config.mongoUrl, dataDir: path.resolve(config.dataDir), log: (line) => console.error(line) });
const db = await connectMongo(mongo.url);
try {
  const done = await backfillCitizenAppointments(appointmentsStore(db), (n) => console.error(`${n.toLocaleString("en-US")} appointments`));
  console.log(`Noted ${done.toLocaleString("en-US")} appointments under their citizen.`);
} finally {
  await db.close();
  await mongo.stop();
}
