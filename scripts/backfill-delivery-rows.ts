// `npm run backfill:delivery-rows`: writes the row every delivery an organisation asks for
// gets when it is created (services/notifications/organization-deliveries.ts) for the
// deliveries of a database from before they were kept. Without it, such a database's older
// messages are missing from staff's delivery log. Safe to run twice, and while nodes run.
import { backfillOrganizationDeliveryRows } from "../services/notifications/organization-deliveries.ts";
import { notificationsStore } from "../services/notifications/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const done = await backfillOrganizationDeliveryRows(notificationsStore(db), (n) => console.error(`${n.toLocaleString("en-US")} deliveries`));
  console.log(`Wrote the rows of ${done.toLocaleString("en-US")} deliveries.`);
});
