// Settling a pending payment from what its provider says: by webhook (verified, each event
// taken once), by verification (a user or staff asking), by reconciliation (the scheduler
// asking on a backoff, and expiring what stays pending too long). The machine ignores
// whatever comes too late, so the three can race without harm.
import { claimOnce } from "../../mixins/db/claim.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { errors } from "../../mixins/api/errors.ts";
import { change, current, type Changed } from "./ledger.ts";
import { sameText } from "./providers/signatures.ts";
import { WebhookRefused, type MethodName, type PaymentProvider, type ProviderTransaction, type WebhookDelivery, type WebhookNotice } from "./providers/types.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";
import { isOpen, type Cause, type Outcome } from "./transaction-machine.ts";

export interface SettlementDeps {
  store: PaymentsStore;
  providers: Map<MethodName, PaymentProvider>;
  pendingExpiryMs: number;
  verifyBackoffMs: number;
  now: () => Date;
}

const asProviderTransaction = (tx: TransactionDoc): ProviderTransaction => ({
  id: tx._id, amount: tx.amount, phone: tx.phone, provider_ref: tx.provider_ref ?? "", secrets: tx.secrets ?? {},
});

/** Records what the provider says; the payment leaves the pending list once settled. */
export async function settle(deps: SettlementDeps, id: string, outcome: Outcome, cause: Exclude<Cause, "user">, note?: string): Promise<Changed> {
  const at = deps.now().toISOString();
  const changed = await change(deps.store, id, () => ({ command: { type: "settle", outcome, cause, at, ...(note && { note }) } }));
  if (!isOpen(changed.tx.status)) await deps.store.pending.deleteOne({ _id: id });
  return changed;
}

/** Asks the provider about an open payment it knows; answers the payment as it is then. */
export async function verify(deps: SettlementDeps, tx: TransactionDoc, cause: "verification" | "reconciliation"): Promise<Changed | null> {
  if (!isOpen(tx.status) || !tx.provider_ref) return null;
  const provider = deps.providers.get(tx.method);
  if (!provider) throw errors.unavailable(`The ${tx.method} payment method`);
  const answer = await provider.status(asProviderTransaction(tx));
  return settle(deps, tx._id, answer.outcome, cause, answer.note);
}

const RECONCILE_CONCURRENCY = 8;

export type WebhookResult = { received: true; applied: boolean; duplicate?: boolean; ignored?: string };

/**
 * A provider's notification: verified over the raw body, taken once per event id, then
 * applied. A notice whose proof is weak (PayTech's) is confirmed with the provider first;
 * `later` runs that confirmation after the answer, so the provider is answered at once.
 */
export async function receiveWebhook(
  deps: SettlementDeps,
  method: MethodName,
  delivery: WebhookDelivery,
  later: (work: () => Promise<unknown>) => void,
): Promise<{ result: WebhookResult; changed?: Changed }> {
  const provider = deps.providers.get(method);
  if (!provider) throw errors.routeNotFound();
  let notice: WebhookNotice;
  try {
    notice = provider.parseWebhook(delivery);
  } catch (err) {
    if (err instanceof WebhookRefused) throw errors.webhookRefused(err.reason, err.message);
    throw err;
  }
  const tx = await current(deps.store, notice.reference);
  if (notice.trust.kind === "secret") {
    const known = tx?.secrets?.[notice.trust.name];
    if (!tx || !known || !sameText(known, notice.trust.value)) throw errors.webhookRefused("bad_signature", `the ${notice.trust.name} is not this payment's`);
  }
  if (!tx || tx.method !== method) return { result: { received: true, applied: false, ignored: "unknown transaction" } };
  if (notice.outcome === null) return { result: { received: true, applied: false, ignored: "an event that says nothing of the payment" } };
  const eventKey = `${method}:${notice.event_id}`;
  if (!(await claimOnce(deps.store.webhookEvents, eventKey, { at: deps.now() }))) return { result: { received: true, applied: false, duplicate: true } };
  const outcome = notice.outcome;
  const release = () => deps.store.webhookEvents.deleteOne({ _id: eventKey }).catch(() => undefined);
  const apply = async () => {
    try {
      if (notice.trust.kind !== "confirm") return await settle(deps, tx._id, outcome, "webhook");
      const confirmed = await verifyByWebhook(deps, tx);
      // The provider does not confirm it (yet): a replayed or early notice must not use up
      // the event id of the genuine one.
      if (!confirmed || isOpen(confirmed.tx.status)) await release();
      return confirmed;
    } catch (err) {
      await release(); // not applied: the provider's redelivery tries again
      throw err;
    }
  };
  if (notice.trust.kind === "confirm") {
    later(apply);
    return { result: { received: true, applied: false } };
  }
  const changed = await apply();
  return { result: { received: true, applied: changed?.decision?.kind === "changed" }, changed: changed ?? undefined };
}

async function verifyByWebhook(deps: SettlementDeps, tx: TransactionDoc): Promise<Changed | null> {
  if (!isOpen(tx.status) || !tx.provider_ref) return null;
  const answer = await deps.providers.get(tx.method)!.status(asProviderTransaction(tx));
  return settle(deps, tx._id, answer.outcome, "webhook", answer.note);
}

/**
 * One pass over the pending payments due a check: each is asked of its provider; one still
 * pending is checked again after a doubling wait, and expired once it is older than the
 * expiry (unless its provider says it succeeded). Answers what it did.
 */
export async function reconcile(deps: SettlementDeps, announce: (changed: Changed) => void): Promise<{ checked: number; settled: number; expired: number; failures: number }> {
  const now = deps.now();
  const due = await deps.store.pending.find({ next_check_at: { $lte: now } }).limit(200).lean();
  const tally = { checked: 0, settled: 0, expired: 0, failures: 0 };
  // A few at a time: a provider that does not answer costs PROVIDER_TIMEOUT_MS per payment,
  // and one after another a pass of 200 could outlast the job's lock.
  await mapLimited(due, RECONCILE_CONCURRENCY, async (entry) => {
    const tx = await current(deps.store, entry._id);
    if (!tx || !isOpen(tx.status)) {
      await deps.store.pending.deleteOne({ _id: entry._id });
      return;
    }
    tally.checked++;
    let changed: Changed | null = null;
    try {
      changed = await verify(deps, tx, "reconciliation");
    } catch {
      tally.failures++; // the provider is down or slow: try again later, or expire below
    }
    const after = changed?.tx ?? tx;
    const startedAt = new Date(after.started_at ?? after.created_at).getTime();
    if (isOpen(after.status) && now.getTime() - startedAt >= deps.pendingExpiryMs) {
      changed = await settle(deps, tx._id, "expired", "reconciliation", "still pending at the expiry");
    }
    if (changed) announce(changed);
    if (changed && !isOpen(changed.tx.status)) {
      if (changed.tx.status === "expired") tally.expired++;
      else tally.settled++;
      return;
    }
    const wait = Math.min(deps.verifyBackoffMs * 2 ** entry.checks, Math.max(deps.pendingExpiryMs, deps.verifyBackoffMs));
    await deps.store.pending.updateOne({ _id: entry._id }, { $set: { next_check_at: new Date(now.getTime() + wait), checks: entry.checks + 1 } });
  });
  return tally;
}
