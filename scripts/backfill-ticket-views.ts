// `npm run backfill:ticket-views`: writes the day and citizen views of every ticket already
// in the read model (actors/host/ticket-views.ts), for a database from before the lists
// read those views, or from before a day's rows were kept by organisation (2026-12-06).
// Without it, such a database's older tickets are missing from `tickets/`, `tickets/my/`
// and the export. Safe to run twice, and while nodes run.
import { backfillViews } from "../actors/host/ticket-views.ts";
import { hostStore } from "../actors/host/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const done = await backfillViews(hostStore(db), {}, (n) => console.error(`${n.toLocaleString("en-US")} rows and ends`));
  console.log(`Wrote the views of ${done.toLocaleString("en-US")} rows and ends.`);
});
