// Starting a payment: the transaction is written first (created), then the provider is
// asked, and its answer (where to send the user) is kept with the transaction as its start
// (created → pending, by the user). With an Idempotency-Key the transaction's id is derived
// from the caller and the key, so the same request again finds the same payment — and if the
// provider did not answer the first time, asks it again under the same reference. A provider
// that fails or does not answer in time leaves the payment pending (reconciliation settles
// or expires it) and the caller gets 502 provider_failed, never a 500.
import { createHash, randomBytes } from "node:crypto";
import { isDuplicateKey } from "../../mixins/db/claim.ts";
import { errors, ProviderError } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import { noteCitizenPayment } from "./citizen-payments.ts";
import { change, current, type Changed, type Plan } from "./ledger.ts";
import { forgetOrganizationPaymentRow, noteOrganizationPayment } from "./organization-payments.ts";
import type { MethodName, PaymentProvider } from "./providers/types.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";

export interface NewPayment {
  service_id: string;
  appointment_id?: string;
  method: MethodName;
  amount: number;
  phone: string;
  description?: string;
}

/** What the checkout needs of the business service. */
export interface OfferedService {
  organization_id: string;
  fee_xof?: number;
  deposit_xof?: number;
  name_fr?: string;
}

/** What the checkout needs of an appointment whose deposit is paid (appointments.forDeposit). */
export interface DepositAppointment {
  user_id: string;
  service_id: string;
  status: string;
}

/** The amount a payment must be: an appointment's deposit, else the service's fee (when it has one). */
function checkWhatIsPaid(user: AuthUser, body: NewPayment, service: OfferedService, appointment: DepositAppointment | null | undefined): void {
  const refuse = (path: string, message: string) => {
    throw errors.validation([{ path, message }]);
  };
  if (body.appointment_id !== undefined) {
    if (!appointment || appointment.user_id !== user.id || appointment.service_id !== body.service_id) refuse("body.appointment_id", "no such appointment of yours for this service");
    if (appointment!.status !== "awaiting_payment") refuse("body.appointment_id", `the appointment is ${appointment!.status}, not awaiting its deposit`);
    if (body.amount !== service.deposit_xof) refuse("body.amount", `must be the service's deposit, ${service.deposit_xof ?? 0} XOF`);
    return;
  }
  if (service.fee_xof && body.amount !== service.fee_xof) refuse("body.amount", `must be the service's fee, ${service.fee_xof} XOF`);
}

export interface CheckoutDeps {
  store: PaymentsStore;
  providers: Map<MethodName, PaymentProvider>;
  publicUrl: string;
  returnUrl: string;
  /** When reconciliation first looks at a pending payment. */
  firstCheckMs: number;
  now: () => Date;
}

export const WEBHOOK_PATH_OF: Record<MethodName, string> = { wave: "wave", orange_money: "orange-money", free_money: "free-money" };

export function providerOf(providers: Map<MethodName, PaymentProvider>, method: MethodName, field = "body.method"): PaymentProvider {
  const provider = providers.get(method);
  if (!provider) throw errors.validation([{ path: field, message: `${method} is not offered here (see /api/payments/methods/)` }]);
  return provider;
}

function transactionId(user: AuthUser, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `pay_${randomBytes(12).toString("hex")}`;
  return `pay_${createHash("sha256").update(`${user.id}\n${idempotencyKey}`).digest("hex").slice(0, 24)}`;
}

/** Writes a new payment (created); the same Idempotency-Key again answers the one already written. */
export async function createTransaction(
  deps: CheckoutDeps,
  user: AuthUser,
  body: NewPayment,
  paidFor: { service: OfferedService | null; appointment?: DepositAppointment | null },
  idempotencyKey?: string,
): Promise<{ tx: TransactionDoc; isNew: boolean }> {
  providerOf(deps.providers, body.method);
  const { service, appointment } = paidFor;
  if (!service) throw errors.validation([{ path: "body.service_id", message: "no such service" }]);
  checkWhatIsPaid(user, body, service, appointment);
  const now = deps.now();
  const tx: TransactionDoc = {
    _id: transactionId(user, idempotencyKey),
    organization_id: service.organization_id,
    user_id: user.id,
    service_id: body.service_id,
    appointment_id: body.appointment_id ?? null,
    method: body.method,
    amount: body.amount,
    currency: "XOF",
    phone: body.phone,
    description: body.description ?? service.name_fr ?? "SmartQueue",
    status: "created",
    refunded: 0,
    refunding: 0,
    version: 0,
    history: [],
    provider_ref: null,
    redirect_url: null,
    secrets: {},
    idempotency_key: idempotencyKey ?? null,
    created_at: now,
    updated_at: now,
    started_at: null,
  };
  try {
    // Before the payment: the citizen's list and the organisation's never miss it.
    await Promise.all([noteCitizenPayment(deps.store, user.id, tx._id), noteOrganizationPayment(deps.store, tx)]);
    await deps.store.transactions.create(tx);
    return { tx, isNew: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await current(deps.store, tx._id);
    if (!existing) throw err;
    // A repeat noted the payment at its own instant: the first one's row stays.
    if (existing.created_at.getTime() !== tx.created_at.getTime()) await forgetOrganizationPaymentRow(deps.store, tx);
    return { tx: existing, isNew: false };
  }
}

/** The start, recorded once; a second attempt (after a timeout) only adds what the provider gave. */
function startOnce(tx: TransactionDoc, at: Date, patch: Plan["patch"]): Plan {
  return tx.status === "created" ? { command: { type: "start", cause: "user", at: at.toISOString() }, patch } : { patch };
}

/** Asks the provider to start the payment, unless it already has. */
export async function startPayment(deps: CheckoutDeps, tx: TransactionDoc): Promise<Changed | null> {
  if (tx.provider_ref || (tx.status !== "created" && tx.status !== "pending")) return null;
  const provider = providerOf(deps.providers, tx.method);
  const at = deps.now();
  await deps.store.pending.updateOne({ _id: tx._id }, { $set: { next_check_at: new Date(at.getTime() + deps.firstCheckMs), checks: 0 } }, { upsert: true });
  try {
    const started = await provider.start({
      reference: tx._id,
      amount: tx.amount,
      phone: tx.phone,
      description: tx.description,
      returnUrl: deps.returnUrl,
      notifyUrl: `${deps.publicUrl}/api/payments/webhooks/${WEBHOOK_PATH_OF[tx.method]}/?reference=${encodeURIComponent(tx._id)}`,
      idempotencyKey: tx._id,
    });
    return await change(deps.store, tx._id, (now) => startOnce(now, at, { provider_ref: started.provider_ref, redirect_url: started.redirect_url, secrets: started.secrets ?? {}, started_at: at }));
  } catch (err) {
    if (err instanceof ProviderError && err.retryable) {
      // The provider may have taken it: pending, for verification and reconciliation to settle.
      await change(deps.store, tx._id, (now) => startOnce(now, at, { started_at: now.started_at ?? at }));
    } else {
      await deps.store.pending.deleteOne({ _id: tx._id });
    }
    throw err;
  }
}
