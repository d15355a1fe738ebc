// `npm run backfill:inbox`: moves the in-app notifications written before the inbox was
// kept by user under their user's prefix (services/notifications/inbox.ts). Without it,
// such a database's older notifications are missing from a user's inbox (each can still be
// opened by its old id until it is moved). Safe to run twice, and while nodes run.
import { adoptLegacyInbox } from "../services/notifications/inbox.ts";
import { notificationsStore } from "../services/notifications/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const moved = await adoptLegacyInbox(notificationsStore(db).notifications, (n) => console.error(`${n.toLocaleString("en-US")} notifications moved`));
  console.log(`Moved ${moved.toLocaleString("en-US")} notifications under their user.`);
});
