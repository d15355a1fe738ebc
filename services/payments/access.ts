// Who sees and who acts on a payment, and how it is shown. A citizen sees their own
// payments; staff see their organisation's, and they alone refund them; the platform admin
// sees everything. Someone else's payment is reported as missing, not as forbidden.
import { isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { TransactionDoc } from "./store.ts";

export function canSee(user: AuthUser, tx: TransactionDoc): boolean {
  return tx.user_id === user.id || isStaffOf(user, tx.organization_id);
}

export function seenOr404(user: AuthUser, tx: TransactionDoc | null): TransactionDoc {
  if (!tx || !canSee(user, tx)) throw errors.notFound("Transaction");
  return tx;
}

/** Refunds are for the organisation's staff; the payer is told no, an outsider not found. */
export function refundableBy(user: AuthUser, tx: TransactionDoc | null): TransactionDoc {
  const seen = seenOr404(user, tx);
  if (!isStaffOf(user, seen.organization_id)) throw errors.forbidden("refund payments (the organisation's staff do)");
  return seen;
}

/** A transaction as the API shows it: without the provider's secrets or the version counter. */
export function transactionToWire(tx: TransactionDoc) {
  const { _id, secrets: _secrets, version: _version, ...shown } = tx;
  return {
    id: _id,
    ...shown,
    refundable: Math.max(0, tx.status === "succeeded" || tx.status === "partially_refunded" ? tx.amount - tx.refunded - tx.refunding : 0),
    created_at: new Date(tx.created_at).toISOString(),
    updated_at: new Date(tx.updated_at).toISOString(),
    started_at: tx.started_at ? new Date(tx.started_at).toISOString() : null,
  };
}
