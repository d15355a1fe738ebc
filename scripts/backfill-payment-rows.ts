// `npm run backfill:payment-rows`: writes the rows every payment gets, under its citizen
// and its organisation when it is created (services/payments/citizen-payments.ts,
// organization-payments.ts) and under its organisation's settlement when it succeeds or
// is refunded (settlement-rows.ts), for the payments of a database from before they were
// kept. Without it, such a database's older payments are missing from the lists and the
// settlement report. Safe to run twice, and while nodes run.
import { backfillPaymentRows } from "../services/payments/citizen-payments.ts";
import { paymentsStore } from "../services/payments/store.ts";
import { onDatabase } from "./lib/on-database.ts";

await onDatabase(async (db) => {
  const done = await backfillPaymentRows(paymentsStore(db), (n) => console.error(`${n.toLocaleString("en-US")} payments`));
  console.log(`Wrote the rows of ${done.toLocaleString("en-US")} payments.`);
});
