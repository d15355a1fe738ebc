// A succeeded payment written straight into the run's database, for tests on the shared node,
// which offers no payment method (no provider to pay through).
import { randomBytes } from "node:crypto";
import { paymentsStore } from "../../services/payments/store.ts";
import { system } from "../support/system.ts";

export async function aStoredPayment(of: { organization_id: string; user_id: string; service_id: string }): Promise<{ id: string }> {
  const at = new Date();
  const id = `pay_${randomBytes(12).toString("hex")}`;
  await paymentsStore(system().node.db).transactions.create({
    _id: id, ...of, method: "wave", amount: 5000, currency: "XOF", phone: "+221771234567", description: "Dépôt",
    status: "succeeded", refunded: 0, refunding: 0, version: 0, provider_ref: "cos-stored", redirect_url: null, secrets: {}, idempotency_key: null,
    history: [{ from: "created", to: "pending", cause: "user", at: at.toISOString() }, { from: "pending", to: "succeeded", cause: "webhook", at: at.toISOString() }],
    created_at: at, updated_at: at, started_at: at,
  });
  return { id };
}
