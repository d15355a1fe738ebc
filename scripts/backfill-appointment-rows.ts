// `npm run backfill:appointment-rows`: writes the rows every appointment gets when it is
// booked (services/appointments/rows-backfill.ts) for the appointments of a database from
// before they were kept. Without it, such a database's older appointments are missing from
// their citizens' lists, and its open ones from the sweep (no no-show, no reminder made
// sure of). Safe to run twice, and while nodes run.
import { backfillAppointmentRows } from "../services/appointments/rows-backfill.ts";
import { appointmentsStore } from "../services/appointments/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const done = await backfillAppointmentRows(appointmentsStore(db), (n) => console.error(`${n.toLocaleString("en-US")} appointments`));
  console.log(`Wrote the rows of ${done.toLocaleString("en-US")} appointments.`);
});
