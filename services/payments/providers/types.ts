// What every payment provider adapter offers, whichever protocol it speaks underneath: start
// a payment, ask its status, refund it, and read a webhook (checking its signature over the
// raw body). A call either answers or throws a ProviderError (mixins/api/errors.ts) saying
// whether a retry may help; it never pretends success.
import type { Outcome } from "../transaction-machine.ts";

export const METHODS = ["wave", "orange_money", "free_money"] as const;
export type MethodName = (typeof METHODS)[number];

export interface StartRequest {
  /** Our transaction id: the provider's client reference, order id or command reference. */
  reference: string;
  amount: number;
  /** The payer's phone in E.164, where the provider takes one. */
  phone: string;
  description: string;
  /** Where the provider sends the user back, with `outcome=success|error` appended. */
  returnUrl: string;
  /** Where the provider posts its notifications for this payment. */
  notifyUrl: string;
  /** The same on every attempt to start this transaction, for providers that honour one. */
  idempotencyKey: string;
}

export interface Started {
  /** The provider's id for the payment (Wave's checkout session, Orange's pay_token, PayTech's token). */
  provider_ref: string;
  /** Where the app sends the user to pay. */
  redirect_url: string;
  /** What later calls and notifications of this payment need (e.g. Orange's notif_token); kept with the transaction, never shown. */
  secrets?: Record<string, string>;
}

/** A transaction as the adapters need it for status and refunds. */
export interface ProviderTransaction {
  id: string;
  amount: number;
  phone: string;
  provider_ref: string;
  secrets: Record<string, string>;
}

export interface StatusAnswer {
  outcome: Outcome;
  note?: string;
}

export interface WebhookDelivery {
  raw: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  /** Epoch ms, for the timestamp tolerance. */
  now: number;
}

/** A notification read and, where the provider signs them, verified. */
export interface WebhookNotice {
  /** The provider's id of this event (the same on every redelivery of it). */
  event_id: string;
  /** Our transaction id. */
  reference: string;
  /** What it says of the payment; null for an event that says nothing of one (ignored). */
  outcome: Outcome | null;
  /**
   * How the notice is trusted: `signed` (checked here), `secret` (carries a per-payment
   * secret the service compares with the one the provider gave at start), `confirm` (the
   * provider's scheme proves little, so the service asks the provider for the status).
   */
  trust: { kind: "signed" } | { kind: "secret"; name: string; value: string } | { kind: "confirm" };
}

export interface PaymentProvider {
  readonly method: MethodName;
  /** What the provider's API can give back: the whole payment only, any part of it, or nothing. */
  readonly refunds: "full" | "partial" | "none";
  start(request: StartRequest): Promise<Started>;
  status(tx: ProviderTransaction): Promise<StatusAnswer>;
  /** Refunds `amount` XOF of the payment; `key` is the same on every attempt of this refund. */
  refund(tx: ProviderTransaction, amount: number, key: string): Promise<{ provider_refund_id: string | null }>;
  /** Throws WebhookRefused when the delivery is not the provider's, was altered, or is stale. */
  parseWebhook(delivery: WebhookDelivery): WebhookNotice;
}

export class WebhookRefused extends Error {
  constructor(readonly reason: "unsigned" | "bad_signature" | "stale" | "malformed", message: string) {
    super(message);
    this.name = "WebhookRefused";
  }
}

export const headerOf = (headers: WebhookDelivery["headers"], name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** The URL the provider sends the user back to, saying how it went. */
export const returnUrlWith = (base: string, reference: string, outcome: "success" | "error") => {
  const url = new URL(base);
  url.searchParams.set("transaction", reference);
  url.searchParams.set("outcome", outcome);
  return url.toString();
};
