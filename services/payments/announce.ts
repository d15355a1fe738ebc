// The payment events (services/events.ts) a change makes: one when a payment succeeds, one
// when it fails or expires, one per refund the provider took. Emitted to one listener per
// service (notifications say "payment received", analytics count).
import type { Context, ServiceBroker } from "moleculer";
import { emit } from "../events.ts";
import type { Changed } from "./ledger.ts";

export function announce(from: Pick<Context, "emit"> | ServiceBroker, { before, tx }: Changed): void {
  if (before.status === tx.status && before.refunded === tx.refunded) return;
  const payment = { transaction_id: tx._id, organization_id: tx.organization_id, user_id: tx.user_id, service_id: tx.service_id, appointment_id: tx.appointment_id ?? null, method: tx.method, amount: tx.amount };
  if (tx.status === "succeeded" && before.status !== "succeeded") emit(from, "payments.succeeded", payment);
  if ((tx.status === "failed" || tx.status === "expired") && before.status !== tx.status) emit(from, "payments.failed", { ...payment, status: tx.status });
  if (tx.refunded > before.refunded && (tx.status === "partially_refunded" || tx.status === "refunded")) emit(from, "payments.refunded", { ...payment, refund_amount: tx.refunded - before.refunded, refunded: tx.refunded, status: tx.status });
}
