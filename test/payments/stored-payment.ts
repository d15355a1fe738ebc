// A succeeded payment written straight into the run's database, for tests on the shared node,
// which offers no payment method (no provider to pay through).
import { randomBytes } from "node:crypto";
import { noteCitizenPayment } from "../../services/payments/citizen-payments.ts";
import { noteOrganizationPayment } from "../../services/payments/organization-payments.ts";
import { noteSettlements } from "../../services/payments/settlement-rows.ts";
import type { MethodName } from "../../services/payments/providers/types.ts";
import type { Transition } from "../../services/payments/transaction-machine.ts";
import { paymentsStore, type TransactionDoc } from "../../services/payments/store.ts";
import { system } from "../support/system.ts";

/** With its rows under the citizen and the organisation, and its success's in the organisation's settlement, as a payment made through the API has (services/payments/citizen-payments.ts, organization-payments.ts, settlement-rows.ts); `withoutRows`: as a database from before those rows has it. */
export async function aStoredPayment(
  of: { organization_id: string; user_id: string; service_id: string },
  { withoutRows = false, status = "succeeded", method = "wave" as MethodName, amount = 5000, at = new Date() } = {},
): Promise<{ id: string }> {
  const id = `pay_${randomBytes(12).toString("hex")}`;
  const store = paymentsStore(system().node.db);
  const tx = {
    _id: id, ...of, method, amount, currency: "XOF" as const, phone: "+221771234567", description: "Dépôt",
    status, refunded: 0, refunding: 0, version: 0, provider_ref: "cos-stored", redirect_url: null, secrets: {}, idempotency_key: null,
    history: [{ from: "created", to: "pending", cause: "user", at: at.toISOString() }, { from: "pending", to: "succeeded", cause: "webhook", at: at.toISOString() }] as Transition[],
    created_at: at, updated_at: at, started_at: at,
  };
  if (!withoutRows) await Promise.all([noteCitizenPayment(store, of.user_id, id), noteOrganizationPayment(store, tx as TransactionDoc), noteSettlements(store, tx, tx.history)]);
  await store.transactions.create(tx);
  return { id };
}
