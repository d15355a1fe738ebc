// A refund by the organisation's staff, of the whole payment or part of it. The amount is
// reserved on the transaction first (a versioned change: two refunds decided at once cannot
// both take the same money), then asked of the provider, then recorded as refunded — or
// released if the provider refused (kept reserved if it did not answer: see below). Each
// refund is claimed by its key (the Idempotency-Key header, else a new one), so the same
// request again refunds nothing more.
import { randomUUID } from "node:crypto";
import { claimOnce } from "../../mixins/db/claim.ts";
import { errors, ProviderError } from "../../mixins/api/errors.ts";
import { change, current, stateOf, type Changed } from "./ledger.ts";
import type { MethodName, PaymentProvider } from "./providers/types.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";
import { refundable } from "./transaction-machine.ts";

export interface RefundDeps {
  store: PaymentsStore;
  providers: Map<MethodName, PaymentProvider>;
  now: () => Date;
}

export interface RefundResult {
  tx: TransactionDoc;
  refund: { id: string; amount: number; status: string };
  changes: Changed[];
}

function checkProviderCan(provider: PaymentProvider | undefined, tx: TransactionDoc, amount: number): PaymentProvider {
  if (!provider) throw errors.unavailable(`The ${tx.method} payment method`);
  if (provider.refunds === "none") throw errors.paymentRule("refund_not_supported", `${tx.method} payments cannot be refunded through its API; refund from the provider's merchant portal.`);
  if (provider.refunds === "full" && (amount !== tx.amount || tx.refunded > 0)) {
    throw errors.paymentRule("partial_refund_not_supported", `${tx.method} refunds only the whole payment (${tx.amount} XOF).`);
  }
  return provider;
}

export async function refund(deps: RefundDeps, tx: TransactionDoc, asked: number | undefined, key: string | undefined): Promise<RefundResult> {
  const amount = asked ?? refundable(stateOf(tx));
  const provider = checkProviderCan(deps.providers.get(tx.method), tx, amount);
  const refundId = `${tx._id}:${key ?? randomUUID()}`;
  if (!(await claimOnce(deps.store.refunds, refundId, { at: deps.now(), state: "requested", amount }))) {
    const earlier = await deps.store.refunds.findById(refundId).lean();
    return { tx: (await current(deps.store, tx._id)) ?? tx, refund: { id: refundId, amount: earlier?.amount ?? amount, status: earlier?.state ?? "requested" }, changes: [] };
  }
  const at = () => deps.now().toISOString();
  const reserved = await change(deps.store, tx._id, () => ({ command: { type: "refund", amount, cause: "user", at: at() } }));
  if (reserved.decision?.kind === "refused") {
    await deps.store.refunds.updateOne({ _id: refundId }, { $set: { state: "refused" } });
    const { code, message } = reserved.decision;
    throw code === "invalid_transition" ? errors.validation([{ path: "body.amount", message }]) : errors.paymentRule(code, message, { refundable: refundable(stateOf(reserved.tx)) });
  }
  const providerTx = { id: tx._id, amount: tx.amount, phone: tx.phone, provider_ref: tx.provider_ref ?? "", secrets: tx.secrets ?? {} };
  try {
    await provider.refund(providerTx, amount, refundId);
  } catch (err) {
    // A refusal releases the amount; a timeout or a 5xx may have been carried out, so the
    // amount stays reserved (never refunded twice) until someone checks with the provider.
    if (err instanceof ProviderError && err.retryable) {
      await deps.store.refunds.updateOne({ _id: refundId }, { $set: { state: "uncertain" } });
      throw err;
    }
    await change(deps.store, tx._id, () => ({ command: { type: "refundSettled", amount, ok: false, cause: "user", at: at(), note: (err as Error).message } }));
    await deps.store.refunds.updateOne({ _id: refundId }, { $set: { state: "failed" } });
    throw err;
  }
  const settled = await change(deps.store, tx._id, () => ({ command: { type: "refundSettled", amount, ok: true, cause: "user", at: at() } }));
  await deps.store.refunds.updateOne({ _id: refundId }, { $set: { state: "refunded" } });
  return { tx: settled.tx, refund: { id: refundId, amount, status: "refunded" }, changes: [settled] };
}
