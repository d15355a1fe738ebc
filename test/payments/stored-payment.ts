// A succeeded payment written straight into the run's database, for tests on the shared node,
// which offers no payment method (no provider to pay through).
import { randomBytes } from "node:crypto";
import { noteCitizenPayment } from "../../services/payments/citizen-payments.ts";
import { paymentsStore } from "../../services/payments/store.ts";
import { system } from "../support/system.ts";

/** With its row under the citizen, as a payment made through the API has (services/payments/citizen-payments.ts); `withoutRow`: as a database from before those rows has it. */
export async function aStoredPayment(of: { organization_id: string; user_id: string; service_id: string }, { withoutRow = false, status = "succeeded", method = "wave" } = {}): Promise<{ id: string }> {
  const at = new Date();
  const id = `pay_${randomBytes(12).toString("hex")}`;
  const store = paymentsStore(system().node.db);
  if (!withoutRow) await noteCitizenPayment(store, of.user_id, id);
  await store.transactions.create({
    _id: id, ...of, method, amount: 5000, currency: "XOF", phone: "+221771234567", description: "Dépôt",
    status, refunded: 0, refunding: 0, version: 0, provider_ref: "cos-stored", redirect_url: null, secrets: {}, idempotency_key: null,
    history: [{ from: "created", to: "pending", cause: "user", at: at.toISOString() }, { from: "pending", to: "succeeded", cause: "webhook", at: at.toISOString() }],
    created_at: at, updated_at: at, started_at: at,
  });
  return { id };
}
