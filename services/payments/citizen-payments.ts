// A citizen's payments, for their list (GET /transactions as a citizen): a row per payment
// under the citizen's prefix, `<length>:<user>:<transaction id>` in `citizen_payments`,
// written once when the payment is created, before the payment itself
// (mixins/db/owner-rows.ts). The list reads that range, then each payment by _id, as it is
// now. Filtered on user_id, the embedded server scanned every payment ever made.
import { claimEach } from "../../mixins/db/claim.ts";
import { inBatches } from "../../mixins/db/in-batches.ts";
import { noteOwned, ownedDocuments, ownerRowId } from "../../mixins/db/owner-rows.ts";
import { organizationPaymentRowId } from "./organization-payments.ts";
import { settlementRowsOf } from "./settlement-rows.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";

const BATCH = 500;

/** Notes that the citizen made this payment; a second note of it (the same Idempotency-Key) changes nothing. */
export const noteCitizenPayment = (store: PaymentsStore, userId: string, transactionId: string): Promise<void> =>
  noteOwned(store.citizenPayments, userId, transactionId);

/** Every payment the citizen made, as it is now, in no particular order. */
export const paymentsOfCitizen = (store: PaymentsStore, userId: string): Promise<TransactionDoc[]> =>
  ownedDocuments(store.citizenPayments, store.transactions, userId, (doc) => doc.user_id === userId);

/** The rows a payment gets (its citizen's and its organisation's when it is created: organization-payments.ts; its settlement's when it succeeds or is refunded: settlement-rows.ts), for a database from before they were kept (`npm run backfill:payment-rows`); counts the payments read. Safe to run again, and beside running nodes. */
export async function backfillPaymentRows(store: PaymentsStore, onBatch?: (done: number) => void): Promise<number> {
  type Read = Pick<TransactionDoc, "_id" | "user_id" | "organization_id" | "created_at" | "method" | "service_id" | "history">;
  const cursor = store.transactions.find({}, { user_id: 1, organization_id: 1, created_at: 1, method: 1, service_id: 1, history: 1 }).lean<Read>().cursor();
  const write = async (batch: Read[]) => {
    await Promise.all([
      claimEach(store.citizenPayments, batch.map((doc) => ({ _id: ownerRowId(doc.user_id, doc._id) }))),
      claimEach(store.organizationPayments, batch.map((doc) => ({ _id: organizationPaymentRowId(doc), user_id: doc.user_id, method: doc.method, service_id: doc.service_id }))),
      claimEach(store.organizationSettlements, batch.flatMap((doc) => settlementRowsOf(doc, doc.history))),
    ]);
  };
  return inBatches(cursor, BATCH, write, onBatch);
}
