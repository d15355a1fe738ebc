// Wave (Sénégal) on its public Checkout API (https://docs.wave.com/checkout) and webhooks
// (https://docs.wave.com/webhook): a bearer API key bound to one business wallet.
//   POST {base}/v1/checkout/sessions  { amount: "<XOF>", currency: "XOF", success_url, error_url,
//        client_reference, restrict_payer_mobile }  → { id: "cos-…", wave_launch_url, checkout_status, payment_status, … }
//   GET  {base}/v1/checkout/sessions/:id           → the same session
//   POST {base}/v1/checkout/sessions/:id/refund     → 200: the whole payment back to the payer
//   Webhooks: `Wave-Signature: t=<unix seconds>,v1=<hex>` (several v1 while a secret is
//   rotated), v1 = HMAC-SHA256(signing secret, t + raw body); the body is an event
//   { id, type: "checkout.session.completed" | "checkout.session.payment_failed" | …, data: <session> }.
// Assumptions, to check against the contract Wave hands a merchant: the signed payload is
// the timestamp immediately followed by the raw body, with no separator (the webhook page
// was found, but its formula was not in the excerpts read); the Checkout API has no
// partial refund, so part of a payment goes back through Wave's Payout API
// (POST {base}/v1/payout { currency, receive_amount, mobile, client_reference }, same key,
// `Idempotency-Key`); the `Idempotency-Key` header is sent on session creation too, where
// Wave ignores it if it does not honour it (the session is also found by our reference).
import { request, statusFailure, withoutTrailingSlash, type HttpAnswer } from "../../../mixins/http/provider-request.ts";
import { errors } from "../../../mixins/api/errors.ts";
import type { Outcome } from "../transaction-machine.ts";
import { hmacSha256Hex, sameText } from "./signatures.ts";
import { headerOf, returnUrlWith, WebhookRefused, type PaymentProvider, type ProviderTransaction, type StartRequest, type WebhookDelivery, type WebhookNotice } from "./types.ts";

export interface WaveOptions {
  baseUrl: string;
  apiKey: string;
  /** The webhook's signing secret (Business Portal, developers section). */
  webhookSecret: string;
  toleranceSeconds: number;
  timeoutMs: number;
}

const NAME = "wave";

interface CheckoutSession {
  id?: string;
  wave_launch_url?: string;
  checkout_status?: string;
  payment_status?: string;
  client_reference?: string;
  last_payment_error?: { code?: string; message?: string } | null;
}

export class Wave implements PaymentProvider {
  readonly method = "wave" as const;
  readonly refunds = "partial" as const;
  private readonly base: string;

  constructor(private readonly options: WaveOptions) {
    this.base = withoutTrailingSlash(options.baseUrl);
  }

  async start(req: StartRequest) {
    const answer = await this.call("POST", "/v1/checkout/sessions", {
      amount: String(req.amount),
      currency: "XOF",
      client_reference: req.reference,
      restrict_payer_mobile: req.phone,
      success_url: returnUrlWith(req.returnUrl, req.reference, "success"),
      error_url: returnUrlWith(req.returnUrl, req.reference, "error"),
    }, req.idempotencyKey);
    const session = this.ok(answer, "the checkout session request") as CheckoutSession;
    if (typeof session.id !== "string" || typeof session.wave_launch_url !== "string") {
      throw errors.providerFailed(NAME, "the checkout session has no id or wave_launch_url", { retryable: true, status: answer.status });
    }
    return { provider_ref: session.id, redirect_url: session.wave_launch_url };
  }

  async status(tx: ProviderTransaction) {
    const answer = await this.call("GET", `/v1/checkout/sessions/${encodeURIComponent(tx.provider_ref)}`);
    const session = this.ok(answer, "the checkout session lookup") as CheckoutSession;
    return { outcome: outcomeOf(session), ...(session.last_payment_error?.message && { note: session.last_payment_error.message }) };
  }

  async refund(tx: ProviderTransaction, amount: number, key: string) {
    if (amount === tx.amount) {
      this.ok(await this.call("POST", `/v1/checkout/sessions/${encodeURIComponent(tx.provider_ref)}/refund`, undefined, key), "the refund request");
      return { provider_refund_id: null };
    }
    const payout = this.ok(await this.call("POST", "/v1/payout", {
      currency: "XOF", receive_amount: String(amount), mobile: tx.phone, client_reference: `${tx.id}:refund`,
    }, key), "the payout (partial refund) request") as { id?: unknown };
    return { provider_refund_id: typeof payout.id === "string" ? payout.id : null };
  }

  parseWebhook({ raw, headers, now }: WebhookDelivery): WebhookNotice {
    const header = headerOf(headers, "wave-signature");
    if (!header) throw new WebhookRefused("unsigned", "no Wave-Signature header");
    const parts = header.split(",").map((p) => p.trim().split("="));
    const timestamp = parts.find(([k]) => k === "t")?.[1];
    const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
    if (!timestamp || !/^\d+$/.test(timestamp) || !signatures.length) throw new WebhookRefused("unsigned", "the Wave-Signature header has no t or v1");
    const expected = hmacSha256Hex(this.options.webhookSecret, timestamp + raw);
    if (!signatures.some((s) => sameText(s, expected))) throw new WebhookRefused("bad_signature", "the signature does not match the body");
    if (Math.abs(now / 1000 - Number(timestamp)) > this.options.toleranceSeconds) throw new WebhookRefused("stale", "the signature's timestamp is outside the tolerance");
    const event = parseJson(raw) as { id?: unknown; type?: unknown; data?: CheckoutSession } | null;
    if (typeof event?.id !== "string" || typeof event.type !== "string" || typeof event.data?.client_reference !== "string") {
      throw new WebhookRefused("malformed", "the event has no id, type or data.client_reference");
    }
    const outcome: Outcome | null = event.type === "checkout.session.completed" ? outcomeOf(event.data)
      : event.type === "checkout.session.payment_failed" ? "failed" : null;
    return { event_id: event.id, reference: event.data.client_reference, outcome, trust: { kind: "signed" } };
  }

  private call(method: "GET" | "POST", path: string, json?: unknown, idempotencyKey?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, ...(idempotencyKey && { "idempotency-key": idempotencyKey }) };
    return request(NAME, `${this.base}${path}`, { method, headers, json, timeoutMs: this.options.timeoutMs });
  }

  private ok(answer: HttpAnswer, what: string): unknown {
    if (answer.status < 200 || answer.status >= 300) throw statusFailure(NAME, what, answer, (answer.body as { code?: string } | null)?.code);
    return answer.body ?? {};
  }
}

/** A session's state in the machine's words. */
function outcomeOf(session: CheckoutSession): Outcome {
  if (session.payment_status === "succeeded") return "succeeded";
  if (session.checkout_status === "expired") return "expired";
  return "pending"; // open, or "processing"; a cancelled attempt may be tried again until the session expires
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
