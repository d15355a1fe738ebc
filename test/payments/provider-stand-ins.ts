// Local servers speaking each payment provider's protocol, as the adapters' headers
// describe it: Wave's Checkout API and signed webhooks, Orange Money's web payment with an
// OAuth2 token, PayTech's payment requests and IPN for Free Money. Each keeps its payments,
// lets a test settle one as the payer would, and builds the notification the provider would
// send, signed as it signs them.
import { createHash, createHmac } from "node:crypto";
import { json, standIn, type Recorded, type Reply, type StandIn } from "../notifications/stand-in-server.ts";

export const WAVE = { apiKey: "wave_sn_test_key", webhookSecret: "wave_sn_WHS_secret" };
export const ORANGE = { clientId: "om-client", clientSecret: "om-secret", merchantKey: "om-merchant-key" };
export const PAYTECH = { apiKey: "paytech-key", apiSecret: "paytech-secret" };

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** What a stand-in answers when a test breaks it on purpose. */
export interface Faults {
  /** The next calls never get an answer (the adapter's deadline passes). */
  hang: boolean;
}

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

export async function aWave() {
  const sessions = new Map<string, { id: string; client_reference: string; amount: string; checkout_status: string; payment_status: string; wave_launch_url: string }>();
  const byKey = new Map<string, string>();
  const refunds: string[] = [];
  const payouts: Array<{ receive_amount: string; mobile: string }> = [];
  const faults: Faults = { hang: false };
  const handler = (req: Recorded): Reply => {
    if (faults.hang) return { status: 200, hang: true };
    if (req.headers.authorization !== `Bearer ${WAVE.apiKey}`) return { status: 401, json: { code: "invalid-auth", message: "Invalid API key" } };
    const path = req.path.split("?")[0]!;
    if (req.method === "POST" && path === "/v1/checkout/sessions") {
      const key = String(req.headers["idempotency-key"] ?? "");
      const known = key && byKey.get(key);
      if (known) return { status: 200, json: sessions.get(known) };
      const body = json(req);
      const id = `cos-${sessions.size + 1}`;
      const session = { id, client_reference: body.client_reference, amount: body.amount, checkout_status: "open", payment_status: "processing", wave_launch_url: `https://pay.wave.com/c/${id}` };
      sessions.set(id, session);
      if (key) byKey.set(key, id);
      return { status: 200, json: session };
    }
    const refund = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/refund$/);
    if (req.method === "POST" && refund && sessions.has(refund[1]!)) {
      refunds.push(refund[1]!);
      return { status: 200 };
    }
    const one = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (req.method === "GET" && one && sessions.has(one[1]!)) return { status: 200, json: sessions.get(one[1]!) };
    if (req.method === "POST" && path === "/v1/payout") {
      payouts.push(json(req));
      return { status: 200, json: { id: `pt-${payouts.length}`, status: "succeeded" } };
    }
    return { status: 404, json: { code: "not-found", message: "No such resource" } };
  };
  const server = await standIn(handler);
  const sessionOf = (reference: string) => [...sessions.values()].find((s) => s.client_reference === reference)!;
  return {
    server, faults, refunds, payouts,
    /** The payer pays in the Wave app. */
    pay(reference: string) {
      Object.assign(sessionOf(reference), { checkout_status: "complete", payment_status: "succeeded" });
    },
    /** The event Wave posts for this payment, signed at `timestamp` (unix seconds) with `secret`. */
    webhook(reference: string, options: { type?: string; timestamp?: number; secret?: string; id?: string } = {}): Delivery {
      const { type = "checkout.session.completed", timestamp = Math.floor(Date.now() / 1000), secret = WAVE.webhookSecret } = options;
      const id = options.id ?? `AE_${reference}_${type}`;
      const body = JSON.stringify({ id, type, data: sessionOf(reference) });
      const v1 = createHmac("sha256", secret).update(`${timestamp}${body}`).digest("hex");
      return { path: "/api/payments/webhooks/wave/", body, headers: { "content-type": "application/json", "wave-signature": `t=${timestamp},v1=${v1}` } };
    },
  };
}

export async function anOrangeMoney() {
  const payments = new Map<string, { order_id: string; amount: number; pay_token: string; notif_token: string; notif_url: string; status: string }>();
  const faults: Faults = { hang: false };
  let tokens = 0;
  const handler = (req: Recorded): Reply => {
    if (faults.hang) return { status: 200, hang: true };
    if (req.path === "/oauth/v3/token") return { status: 200, json: { token_type: "Bearer", access_token: `om-token-${++tokens}`, expires_in: 7776000 } };
    if (!String(req.headers.authorization ?? "").startsWith("Bearer om-token-")) return { status: 401, json: { code: 42, message: "Expired credentials" } };
    if (req.path === "/orange-money-webpay/dev/v1/webpayment") {
      const body = json(req);
      if (body.merchant_key !== ORANGE.merchantKey) return { status: 400, json: { code: 1, message: "Invalid merchant key" } };
      const n = payments.size + 1;
      const payment = { order_id: body.order_id, amount: body.amount, pay_token: `pt${n}`, notif_token: `nt${n}-${body.order_id}`, notif_url: body.notif_url, status: "INITIATED" };
      payments.set(body.order_id, payment);
      return { status: 201, json: { status: 201, message: "OK", pay_token: payment.pay_token, payment_url: `https://webpayment.orange-money.com/payment/pay_token/${payment.pay_token}`, notif_token: payment.notif_token } };
    }
    if (req.path === "/orange-money-webpay/dev/v1/transactionstatus") {
      const body = json(req);
      const payment = payments.get(body.order_id);
      if (!payment || payment.pay_token !== body.pay_token) return { status: 400, json: { code: 2, message: "Unknown transaction" } };
      return { status: 201, json: { status: payment.status, order_id: payment.order_id, txnid: `MP${payment.pay_token}` } };
    }
    return { status: 404, json: { code: 60, message: "Resource not found" } };
  };
  const server = await standIn(handler);
  return {
    server, faults,
    pay(reference: string) {
      payments.get(reference)!.status = "SUCCESS";
    },
    /** Orange's notification to the notif_url it was given (with its notif_token, or another). */
    notification(reference: string, { status = "SUCCESS", notifToken }: { status?: string; notifToken?: string } = {}): Delivery {
      const payment = payments.get(reference)!;
      const url = new URL(payment.notif_url);
      const body = JSON.stringify({ status, notif_token: notifToken ?? payment.notif_token, txnid: `MP${payment.pay_token}` });
      return { path: `${url.pathname}${url.search}`, body, headers: { "content-type": "application/json" } };
    },
  };
}

export async function aPayTech() {
  const payments = new Map<string, { token: string; ref_command: string; item_price: number; state: string; target_payment: string }>();
  const refunds: string[] = [];
  const faults: Faults = { hang: false };
  const handler = (req: Recorded): Reply => {
    if (faults.hang) return { status: 200, hang: true };
    if (req.headers.api_key !== PAYTECH.apiKey || req.headers.api_secret !== PAYTECH.apiSecret) return { status: 200, json: { success: 0, errors: ["Invalid API key or secret"] } };
    if (req.path === "/api/payment/request-payment") {
      const body = json(req);
      const token = `ptk${payments.size + 1}`;
      payments.set(token, { token, ref_command: body.ref_command, item_price: body.item_price, state: "pending", target_payment: body.target_payment });
      return { status: 200, json: { success: 1, token, redirect_url: `https://paytech.sn/payment/checkout/${token}` } };
    }
    if (req.path.startsWith("/api/payment/get-status")) {
      const token = new URL(req.path, "http://x").searchParams.get("token_payment") ?? "";
      const payment = payments.get(token);
      return payment ? { status: 200, json: { success: 1, payment: { state: payment.state, ref_command: payment.ref_command } } } : { status: 200, json: { success: 0, message: "unknown token" } };
    }
    if (req.path === "/api/payment/refund-payment") {
      refunds.push(json(req).ref_command);
      return { status: 200, json: { success: 1, message: "Remboursement effectué" } };
    }
    return { status: 404, json: { success: 0, message: "not found" } };
  };
  const server = await standIn(handler);
  const paymentOf = (reference: string) => [...payments.values()].find((p) => p.ref_command === reference)!;
  return {
    server, faults, refunds, paymentOf,
    pay(reference: string) {
      paymentOf(reference).state = "completed";
    },
    /** PayTech's IPN for this payment, as a form, with the hashes of the given key and secret. */
    ipn(reference: string, { type = "sale_complete", apiSecret = PAYTECH.apiSecret } = {}): Delivery {
      const p = paymentOf(reference);
      const form = new URLSearchParams({
        type_event: type, ref_command: p.ref_command, item_price: String(p.item_price), token: p.token, payment_method: "Free Money",
        client_phone: "221761234567", currency: "XOF", env: "test", api_key_sha256: sha256(PAYTECH.apiKey), api_secret_sha256: sha256(apiSecret),
      });
      return { path: "/api/payments/webhooks/free-money/", body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
    },
  };
}

export type WaveStandIn = Awaited<ReturnType<typeof aWave>>;
export type OrangeStandIn = Awaited<ReturnType<typeof anOrangeMoney>>;
export type PayTechStandIn = Awaited<ReturnType<typeof aPayTech>>;
export type { StandIn };
