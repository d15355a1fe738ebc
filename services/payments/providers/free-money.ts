// Free Money through PayTech (paytech.sn, Intech Group), a Senegalese aggregator. Free
// Sénégal publishes no merchant API of its own (none could be found when this was written);
// PayTech documents its API publicly (docs.intech.sn/doc_paytech.php, and its docs
// repository) and collects Free Money among other wallets, one contract for the merchant.
//   POST {base}/api/payment/request-payment   headers API_KEY, API_SECRET
//        { item_name, item_price, currency: "XOF", ref_command, command_name, env, ipn_url,
//          success_url, cancel_url, target_payment: "Free Money", custom_field }
//        → { success: 1, token, redirect_url }
//   IPN: POST ipn_url (JSON or a form) { type_event: "sale_complete" | "sale_canceled",
//        ref_command, item_price, token, api_key_sha256, api_secret_sha256, … }: the
//        SHA-256 of our key and secret, the same on every notification, with no timestamp.
// Such a proof can be replayed, so a notification is only a hint: the service asks PayTech
// for the payment's status before it changes anything (trust "confirm").
// Assumptions, to check against PayTech's contract: the status lookup is
//   GET {base}/api/payment/get-status?token_payment=<token> → { success: 1, payment: { state } }
// with state "pending" | "completed" | "canceled" | "expired" (or "failed"), and refunds are
//   POST {base}/api/payment/refund-payment { ref_command } → { success: 1 }, of the whole payment.
import { request, statusFailure, withoutTrailingSlash, type HttpAnswer } from "../../../mixins/http/provider-request.ts";
import { errors } from "../../../mixins/api/errors.ts";
import type { Outcome } from "../transaction-machine.ts";
import { sameText, sha256Hex } from "./signatures.ts";
import { parseJson } from "./wave.ts";
import { returnUrlWith, WebhookRefused, type PaymentProvider, type ProviderTransaction, type StartRequest, type WebhookDelivery, type WebhookNotice } from "./types.ts";

export interface FreeMoneyOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** PayTech's `env`: "test" or "prod". */
  env: "test" | "prod";
  timeoutMs: number;
}

const NAME = "free_money";
const STATES: Record<string, Outcome> = { pending: "pending", completed: "succeeded", success: "succeeded", canceled: "failed", cancelled: "failed", failed: "failed", expired: "expired" };
const EVENTS: Record<string, Outcome> = { sale_complete: "succeeded", sale_canceled: "failed" };

export class FreeMoney implements PaymentProvider {
  readonly method = "free_money" as const;
  readonly refunds = "full" as const;

  constructor(private readonly options: FreeMoneyOptions) {}

  async start(req: StartRequest) {
    const answer = await this.call("POST", "/api/payment/request-payment", {
      item_name: req.description.slice(0, 100),
      item_price: req.amount,
      currency: "XOF",
      ref_command: req.reference,
      command_name: req.description.slice(0, 100),
      env: this.options.env,
      ipn_url: req.notifyUrl,
      success_url: returnUrlWith(req.returnUrl, req.reference, "success"),
      cancel_url: returnUrlWith(req.returnUrl, req.reference, "error"),
      target_payment: "Free Money",
      custom_field: JSON.stringify({ phone: req.phone }),
    });
    const b = this.ok(answer, "the payment request") as { token?: unknown; redirect_url?: unknown };
    if (typeof b.token !== "string" || typeof b.redirect_url !== "string") {
      throw errors.providerFailed(NAME, "the payment answer has no token or redirect_url", { retryable: true, status: answer.status });
    }
    return { provider_ref: b.token, redirect_url: b.redirect_url };
  }

  async status(tx: ProviderTransaction) {
    const answer = await this.call("GET", `/api/payment/get-status?token_payment=${encodeURIComponent(tx.provider_ref)}`);
    const state = String((this.ok(answer, "the status request") as { payment?: { state?: unknown } }).payment?.state ?? "").toLowerCase();
    const outcome = STATES[state];
    if (!outcome) throw errors.providerFailed(NAME, `unknown payment state "${state}"`, { retryable: true, status: answer.status });
    return { outcome };
  }

  async refund(tx: ProviderTransaction) {
    this.ok(await this.call("POST", "/api/payment/refund-payment", { ref_command: tx.id }), "the refund request");
    return { provider_refund_id: null };
  }

  parseWebhook({ raw, headers }: WebhookDelivery): WebhookNotice {
    const isForm = String(headers["content-type"] ?? "").includes("x-www-form-urlencoded");
    const body = (isForm ? Object.fromEntries(new URLSearchParams(raw)) : parseJson(raw)) as Record<string, unknown> | null;
    const keyHash = String(body?.api_key_sha256 ?? "");
    const secretHash = String(body?.api_secret_sha256 ?? "");
    if (!keyHash || !secretHash) throw new WebhookRefused("unsigned", "the notification carries no api_key_sha256 or api_secret_sha256");
    if (!sameText(keyHash, sha256Hex(this.options.apiKey)) || !sameText(secretHash, sha256Hex(this.options.apiSecret))) {
      throw new WebhookRefused("bad_signature", "the notification's key hashes are not ours");
    }
    const reference = body?.ref_command;
    const type = body?.type_event;
    if (typeof reference !== "string" || typeof type !== "string" || typeof body?.token !== "string") {
      throw new WebhookRefused("malformed", "the notification has no ref_command, type_event or token");
    }
    return { event_id: `${body.token}:${type}`, reference, outcome: EVENTS[type] ?? null, trust: { kind: "confirm" } };
  }

  private call(method: "GET" | "POST", path: string, json?: unknown) {
    const headers = { API_KEY: this.options.apiKey, API_SECRET: this.options.apiSecret };
    return request(NAME, `${withoutTrailingSlash(this.options.baseUrl)}${path}`, { method, headers, json, timeoutMs: this.options.timeoutMs });
  }

  private ok(answer: HttpAnswer, what: string): Record<string, unknown> {
    const body = answer.body as { success?: unknown; error?: unknown; message?: unknown } | null;
    if (answer.status < 200 || answer.status >= 300 || Number(body?.success) !== 1) {
      const refused = answer.status >= 200 && answer.status < 300 ? { ...answer, status: 400 } : answer; // success: 0 is a refusal
      throw statusFailure(NAME, what, refused, typeof body?.error === "string" ? body.error : undefined);
    }
    return body as Record<string, unknown>;
  }
}
