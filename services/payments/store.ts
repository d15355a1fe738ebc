// The payments collections. A transaction is read and written by its _id only (FerretDB
// pushes down nothing else); its changes are claimed one version at a time in
// payment_changes (`<transaction>:<version>`, a unique insert: the one atomic conditional
// write on MongoDB and FerretDB alike), which is also its audit trail. Pending payments are
// listed apart (payment_pending, one small document each while pending), so reconciliation
// reads what is open, not the whole history.
import { Schema, type Connection } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
import type { Status, Transition } from "./transaction-machine.ts";
import type { MethodName } from "./providers/types.ts";

export interface TransactionDoc {
  _id: string;
  organization_id: string;
  user_id: string;
  service_id: string | null;
  /** The appointment whose deposit this pays, if any. */
  appointment_id?: string | null;
  method: MethodName;
  amount: number;
  currency: "XOF";
  phone: string;
  description: string;
  status: Status;
  refunded: number;
  refunding: number;
  /** The number of changes claimed so far (payment_changes). */
  version: number;
  history: Transition[];
  provider_ref: string | null;
  redirect_url: string | null;
  /** What the provider gave for later calls (e.g. Orange's notif_token): never shown. */
  secrets: Record<string, string>;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
}

/** One claimed change: the transaction's fields as they are from this version on. */
export interface ChangeDoc {
  _id: string;
  tx_id: string;
  version: number;
  set: Omit<TransactionDoc, "_id">;
  at: Date;
}

export interface PendingDoc {
  _id: string;
  next_check_at: Date;
  checks: number;
}

/** A webhook event taken (`<method>:<event id>`), or a refund asked (`<transaction>:<key>`). */
export interface ClaimRecord {
  _id: string;
  at: Date;
  state?: string;
  amount?: number;
}

// Every field is always written whole by the ledger (ledger.ts), so the schema only names
// the types; required fields are checked by the code that builds a transaction (checkout.ts).
const nullableString = { type: String, default: null };
const transactionSchema = new Schema<TransactionDoc>(
  {
    _id: String, organization_id: String, user_id: String, service_id: nullableString, appointment_id: nullableString, method: String, currency: String,
    phone: String, description: String, status: String, amount: Number, refunded: Number, refunding: Number, version: Number,
    history: { type: Schema.Types.Mixed, default: [] }, secrets: { type: Schema.Types.Mixed, default: {} },
    provider_ref: nullableString, redirect_url: nullableString, idempotency_key: nullableString,
    created_at: Date, updated_at: Date, started_at: { type: Date, default: null },
  },
  { collection: "payment_transactions", versionKey: false, minimize: false },
);

const changeSchema = new Schema<ChangeDoc>(
  { _id: String, tx_id: String, version: Number, set: Schema.Types.Mixed, at: Date },
  { collection: "payment_changes", versionKey: false },
);
const pendingSchema = new Schema<PendingDoc>({ _id: String, next_check_at: Date, checks: Number }, { collection: "payment_pending", versionKey: false });
/** A record taken once by insert under its `_id` (what a webhook event or a refund did). */
const onceRecordSchema = (collection: string) =>
  new Schema<ClaimRecord>({ _id: String, at: Date, state: String, amount: Number }, { collection, versionKey: false });

/** `<length>:<user>:<transaction id>`: the citizen made that payment (citizen-payments.ts). */
const citizenPaymentSchema = new Schema<{ _id: string }>({ _id: String }, { collection: "citizen_payments", versionKey: false });

/** `<length>:<organization>:<created ISO>#<transaction id>`: a payment made to the organisation then (organization-payments.ts). */
export interface OrganizationPaymentDoc {
  _id: string;
  user_id: string;
  method: MethodName;
  service_id: string | null;
}
const organizationPaymentSchema = new Schema<OrganizationPaymentDoc>(
  { _id: String, user_id: String, method: String, service_id: nullableString },
  { collection: "organization_payments", versionKey: false },
);

/** `<length>:<organization>:<instant ISO>#<transaction id>`: the payment succeeded or was refunded then (settlement-rows.ts). */
const organizationSettlementSchema = new Schema<{ _id: string }>({ _id: String }, { collection: "organization_settlements", versionKey: false });

export function paymentsStore(db: Connection) {
  return {
    transactions: modelOf(db, "PaymentTransaction", transactionSchema),
    citizenPayments: modelOf(db, "CitizenPayment", citizenPaymentSchema),
    organizationPayments: modelOf(db, "OrganizationPayment", organizationPaymentSchema),
    organizationSettlements: modelOf(db, "OrganizationSettlement", organizationSettlementSchema),
    changes: modelOf(db, "PaymentChange", changeSchema),
    pending: modelOf(db, "PaymentPending", pendingSchema),
    webhookEvents: modelOf(db, "PaymentWebhookEvent", onceRecordSchema("payment_webhook_events")),
    refunds: modelOf(db, "PaymentRefund", onceRecordSchema("payment_refunds")),
  };
}

export type PaymentsStore = ReturnType<typeof paymentsStore>;
