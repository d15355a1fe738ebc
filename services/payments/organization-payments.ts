// An organisation's payments by creation, for staff's list (GET /transactions as staff): a
// row per payment, `<length>:<organization>:<created ISO>#<transaction id>` in
// `organization_payments` holding its citizen, method and service (mixins/db/dated-rows.ts),
// written once when it is created, before the payment itself (a repeat of the creation with
// the same Idempotency-Key deletes the row it noted at its own instant). Filtered on
// organization_id, the embedded server scanned every payment ever made.
import { datedRowId, datedRowsBetween, documentsOfRows, noteDated, type DatedRow } from "../../mixins/db/dated-rows.ts";
import type { OrganizationPaymentDoc, PaymentsStore, TransactionDoc } from "./store.ts";

/** A row as a list sees it: which payment (`_id`) was made when (`created_at`), by whom, how, for what. */
export type OrganizationPaymentRow = Omit<DatedRow<Omit<OrganizationPaymentDoc, "_id">>, "at"> & { created_at: Date };

export const organizationPaymentRowId = (tx: Pick<TransactionDoc, "_id" | "organization_id" | "created_at">) => datedRowId(tx.organization_id, tx.created_at, tx._id);

/** Notes the payment under its organisation; a second note of it changes nothing. */
export async function noteOrganizationPayment(store: PaymentsStore, tx: TransactionDoc): Promise<void> {
  await noteDated(store.organizationPayments, tx.organization_id, tx.created_at, tx._id, { user_id: tx.user_id, method: tx.method, service_id: tx.service_id });
}

/** The row a repeat of the payment's creation noted at an instant of its own. */
export async function forgetOrganizationPaymentRow(store: PaymentsStore, tx: TransactionDoc): Promise<void> {
  await store.organizationPayments.deleteOne({ _id: organizationPaymentRowId(tx) });
}

/** The rows of the organisation's payments made in [from, until). */
export async function organizationPaymentRows(store: PaymentsStore, organizationId: string, from: Date, until: Date): Promise<OrganizationPaymentRow[]> {
  return (await datedRowsBetween(store.organizationPayments, organizationId, from, until)).map(({ at, ...row }) => ({ ...row, created_at: at }));
}

/** The rows' payments as they are now, in the rows' order; one not there, not the organisation's, or not created at its row's instant (a repeat's row) is left out. */
export async function paymentsOfRows(store: PaymentsStore, organizationId: string, rows: readonly OrganizationPaymentRow[]): Promise<TransactionDoc[]> {
  return documentsOfRows(store.transactions, rows, (doc, row) => doc.organization_id === organizationId && doc.created_at.getTime() === row.created_at.getTime());
}
