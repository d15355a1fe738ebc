// Orange Money on Orange Developer's "Orange Money Web Payment" API (Sonatel in Senegal),
// as its getting-started guide describes it: an OAuth2 client-credentials token from
// {base}/oauth/v3/token (Basic auth), then
//   POST {base}/orange-money-webpay/{country}/v1/webpayment  { merchant_key, currency, order_id,
//        amount, return_url, cancel_url, notif_url, lang, reference }
//        → 201 { status: 201, message: "OK", pay_token, payment_url, notif_token }
//   POST {base}/orange-money-webpay/{country}/v1/transactionstatus  { order_id, amount, pay_token }
//        → { status: "INITIATED" | "PENDING" | "EXPIRED" | "SUCCESS" | "FAILED", order_id, txnid }
//   Notifications: POST notif_url  { status, notif_token, txnid }. Orange signs nothing and
//   sends no timestamp: the notif_token it gave for this payment is the proof, and the
//   notification does not name the order, so notif_url carries our reference (?reference=).
// Sources: the Orange Developer "Orange Money WebPay Dev – Getting started" page (a copy;
// developer.orange.com itself was not in reach) and integrations that follow it. Assumptions:
// the country segment for Senegal (`ORANGE_MONEY_COUNTRY`, "dev" in the sandbox, whose
// currency is "OUV"), and that the web payment API offers no refund: Orange Money refunds
// are made by the merchant from its Orange Money portal, so this adapter refuses them.
import { AccessTokenCache, requestToken } from "../../../mixins/http/access-token.ts";
import { postWithBearer, statusFailure, withoutTrailingSlash, type HttpAnswer } from "../../../mixins/http/provider-request.ts";
import { errors } from "../../../mixins/api/errors.ts";
import type { Outcome } from "../transaction-machine.ts";
import { parseJson } from "./wave.ts";
import { returnUrlWith, WebhookRefused, type PaymentProvider, type ProviderTransaction, type StartRequest, type WebhookDelivery, type WebhookNotice } from "./types.ts";

export interface OrangeMoneyOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantKey: string;
  /** The API's country segment, e.g. "sn" (or "dev" in the sandbox). */
  country: string;
  /** "XOF" (the sandbox takes "OUV"). */
  currency: string;
  timeoutMs: number;
  now?: () => number;
}

const NAME = "orange_money";
const OUTCOMES: Record<string, Outcome> = { INITIATED: "pending", PENDING: "pending", SUCCESS: "succeeded", FAILED: "failed", EXPIRED: "expired" };

export class OrangeMoney implements PaymentProvider {
  readonly method = "orange_money" as const;
  readonly refunds = "none" as const;
  private readonly base: string;
  private readonly tokens: AccessTokenCache;

  constructor(private readonly options: OrangeMoneyOptions) {
    this.base = withoutTrailingSlash(options.baseUrl);
    this.tokens = new AccessTokenCache(() => this.issueToken(), options.now);
  }

  async start(req: StartRequest) {
    const body = {
      merchant_key: this.options.merchantKey,
      currency: this.options.currency,
      order_id: req.reference,
      amount: req.amount,
      return_url: returnUrlWith(req.returnUrl, req.reference, "success"),
      cancel_url: returnUrlWith(req.returnUrl, req.reference, "error"),
      notif_url: req.notifyUrl,
      lang: "fr",
      reference: req.description.slice(0, 30),
    };
    const answer = await this.post("webpayment", body);
    if (answer.status !== 201 && answer.status !== 200) throw statusFailure(NAME, "the web payment request", answer, orangeCode(answer));
    const b = answer.body as { pay_token?: unknown; payment_url?: unknown; notif_token?: unknown } | null;
    if (typeof b?.pay_token !== "string" || typeof b.payment_url !== "string" || typeof b.notif_token !== "string") {
      throw errors.providerFailed(NAME, "the web payment answer has no pay_token, payment_url or notif_token", { retryable: true, status: answer.status });
    }
    return { provider_ref: b.pay_token, redirect_url: b.payment_url, secrets: { notif_token: b.notif_token } };
  }

  async status(tx: ProviderTransaction) {
    const answer = await this.post("transactionstatus", { order_id: tx.id, amount: tx.amount, pay_token: tx.provider_ref });
    if (answer.status !== 201 && answer.status !== 200) throw statusFailure(NAME, "the transaction status request", answer, orangeCode(answer));
    const status = String((answer.body as { status?: unknown } | null)?.status ?? "");
    const outcome = OUTCOMES[status];
    if (!outcome) throw errors.providerFailed(NAME, `unknown transaction status "${status}"`, { retryable: true, status: answer.status });
    return { outcome };
  }

  refund(): Promise<never> {
    return Promise.reject(errors.providerFailed(NAME, "the web payment API offers no refunds; refund from the Orange Money merchant portal", { retryable: false, status: null, providerCode: "refund_not_supported" }));
  }

  parseWebhook({ raw, query }: WebhookDelivery): WebhookNotice {
    const body = parseJson(raw) as { status?: unknown; notif_token?: unknown; txnid?: unknown } | null;
    const reference = query.reference;
    if (typeof body?.notif_token !== "string" || !body.notif_token) throw new WebhookRefused("unsigned", "the notification carries no notif_token");
    if (!reference || typeof body.status !== "string") throw new WebhookRefused("malformed", "the notification has no status, or its URL no reference");
    const outcome = OUTCOMES[body.status] ?? null;
    return { event_id: `${reference}:${body.status}:${String(body.txnid ?? "")}`, reference, outcome, trust: { kind: "secret", name: "notif_token", value: body.notif_token } };
  }

  private async post(operation: "webpayment" | "transactionstatus", body: unknown): Promise<HttpAnswer> {
    const url = `${this.base}/orange-money-webpay/${encodeURIComponent(this.options.country)}/v1/${operation}`;
    return this.tokens.withToken((token) => postWithBearer(NAME, url, token, body, this.options.timeoutMs));
  }

  private issueToken() {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString("base64");
    const req = { headers: { authorization: `Basic ${basic}` }, form: { grant_type: "client_credentials" }, timeoutMs: this.options.timeoutMs };
    return requestToken(NAME, `${this.base}/oauth/v3/token`, req, orangeCode);
  }
}

/** Orange's error bodies: { code, message, description }, or { error } from OAuth. */
function orangeCode(answer: HttpAnswer): string | undefined {
  const b = answer.body as { code?: unknown; error?: unknown } | null;
  if (typeof b?.error === "string") return b.error;
  return b?.code !== undefined ? String(b.code) : undefined;
}
