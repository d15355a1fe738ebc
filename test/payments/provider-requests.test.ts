// What each adapter sends its provider, as the stand-ins recorded it: the paths, the
// credentials and the fields each provider's API asks for.
import assert from "node:assert/strict";
import { json } from "../notifications/stand-in-server.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { ORANGE, PAYTECH, WAVE } from "./provider-stand-ins.ts";

describe("payments: what the adapters send", function () {
  this.timeout(60_000);
  const t = withAPaymentNode({ PAYMENT_VERIFY_BACKOFF_SECONDS: "3600" });
  const start = async (method: string) => {
    const reply = await t.sut.pay(t.citizen, { service_id: t.office.service.id, method, amount: 5000, phone: "+221771234567", description: "Frais de dossier" });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body.id as string;
  };

  it("asks Wave for a checkout session with its API key, the amount as a string, our reference and the payer's number", async () => {
    const id = await start("wave");
    const request = t.sut.wave.server.requests.find((r) => r.path === "/v1/checkout/sessions" && json(r).client_reference === id)!;
    assert.equal(request.headers.authorization, `Bearer ${WAVE.apiKey}`);
    assert.equal(request.headers["idempotency-key"], id);
    const body = json(request);
    assert.deepEqual([body.amount, body.currency, body.restrict_payer_mobile], ["5000", "XOF", "+221771234567"]);
    assert.match(body.success_url, new RegExp(`transaction=${id}&outcome=success$`));
    assert.match(body.error_url, /outcome=error$/);
  });

  it("asks Orange Money for a web payment under an OAuth2 token, with the merchant key and a notif_url naming our reference", async () => {
    const id = await start("orange_money");
    const token = t.sut.orange.server.requests.find((r) => r.path === "/oauth/v3/token")!;
    assert.equal(token.headers.authorization, `Basic ${Buffer.from(`${ORANGE.clientId}:${ORANGE.clientSecret}`).toString("base64")}`);
    assert.equal(token.body, "grant_type=client_credentials");
    const request = t.sut.orange.server.requests.find((r) => r.path === "/orange-money-webpay/dev/v1/webpayment" && json(r).order_id === id)!;
    assert.match(String(request.headers.authorization), /^Bearer om-token-/);
    const body = json(request);
    assert.deepEqual([body.merchant_key, body.currency, body.amount, body.lang, body.reference], [ORANGE.merchantKey, "OUV", 5000, "fr", "Frais de dossier"]);
    assert.equal(new URL(body.notif_url).pathname, "/api/payments/webhooks/orange-money/");
    assert.equal(new URL(body.notif_url).searchParams.get("reference"), id);
  });

  it("asks PayTech for a Free Money payment with its key and secret and an IPN URL", async () => {
    const id = await start("free_money");
    const request = t.sut.paytech.server.requests.find((r) => r.path === "/api/payment/request-payment" && json(r).ref_command === id)!;
    assert.deepEqual([request.headers.api_key, request.headers.api_secret], [PAYTECH.apiKey, PAYTECH.apiSecret]);
    const body = json(request);
    assert.deepEqual([body.item_price, body.currency, body.target_payment, body.env], [5000, "XOF", "Free Money", "test"]);
    assert.equal(new URL(body.ipn_url).pathname, "/api/payments/webhooks/free-money/");
  });
});
