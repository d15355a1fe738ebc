// `npm run backfill:payment-rows`: writes the row every payment gets under its citizen when
// it is created (services/payments/citizen-payments.ts) for the payments of a database from
// before they were kept. Without it, such a database's older payments are missing from
// their citizens' lists. Safe to run twice, and while nodes run.
import { backfillPaymentRows } from "../services/payments/citizen-payments.ts";
import { paymentsStore } from "../services/payments/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const done = await backfillPaymentRows(paymentsStore(db), (n) => console.error(`${n.toLocaleString("en-US")} payments`));
  console.log(`Wrote the rows of ${done.toLocaleString("en-US")} payments.`);
});
