// The Orange adapter against a local server speaking Orange's SMS API: OAuth2 client
// credentials, then outbound SMS requests on the sender's address.
import assert from "node:assert/strict";
import { OrangeSms, type OrangeSmsOptions } from "../../services/notifications/providers/orange-sms.ts";
import { itKeepsOneAccessToken } from "./access-token-behaviour.ts";
import { rejectsAsProviderError } from "./provider-assertions.ts";
import { form, json, refusedUrl, standIn, type Recorded, type Reply, type StandIn } from "./stand-in-server.ts";

const SENDER = "tel:+2210000";
const SMS_PATH = `/smsmessaging/v1/outbound/${encodeURIComponent(SENDER)}/requests`;

/** Orange as the tests need it: tokens it hands out, tokens it revokes, a switch to fail. */
function orangeBehaviour() {
  const state = { issued: [] as string[], revoked: new Set<string>(), smsReply: null as Reply | null, tokenReply: null as Reply | null, expiresIn: 3600 };
  const handler = (req: Recorded): Reply => {
    if (req.path === "/oauth/v3/token") {
      if (state.tokenReply) return state.tokenReply;
      const token = `token-${state.issued.length + 1}`;
      state.issued.push(token);
      return { status: 200, json: { token_type: "Bearer", access_token: token, expires_in: state.expiresIn } };
    }
    if (req.path === SMS_PATH) {
      const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!state.issued.includes(bearer) || state.revoked.has(bearer)) {
        return { status: 401, json: { code: 42, message: "Expired credentials", description: "The requested service needs credentials, and the ones provided were out-of-date." } };
      }
      if (state.smsReply) return state.smsReply;
      return { status: 201, json: { outboundSMSMessageRequest: { ...json(req).outboundSMSMessageRequest, resourceURL: `https://api.orange.com${SMS_PATH}/msg-${stand.requests.length}` } } };
    }
    return { status: 404, json: { code: 60, message: "Resource not found" } };
  };
  let stand: StandIn;
  return { state, handler, attach: (s: StandIn) => (stand = s) };
}

describe("Orange SMS adapter", () => {
  let orange: StandIn;
  let behaviour: ReturnType<typeof orangeBehaviour>;

  beforeEach(async () => {
    behaviour = orangeBehaviour();
    orange = await standIn(behaviour.handler);
    behaviour.attach(orange);
  });
  afterEach(() => orange.close());

  const anAdapter = (o: Partial<OrangeSmsOptions> = {}) =>
    new OrangeSms({ baseUrl: orange.url, clientId: "client-id", clientSecret: "s3cret", senderAddress: "+2210000", senderName: "SmartQueue", timeoutMs: 2000, ...o });
  const aMessage = { to: "+221771234567", text: "Votre tour approche : ticket A-012, guichet 3." };
  const tokenRequests = () => orange.requests.filter((r) => r.path === "/oauth/v3/token");
  const smsRequests = () => orange.requests.filter((r) => r.path === SMS_PATH);

  it("asks for a token with the client credentials in Basic auth and a client_credentials form", async () => {
    await anAdapter().send(aMessage);
    const [token] = tokenRequests();
    assert.equal(token!.method, "POST");
    assert.equal(token!.headers.authorization, `Basic ${Buffer.from("client-id:s3cret").toString("base64")}`);
    assert.equal(token!.headers["content-type"], "application/x-www-form-urlencoded");
    assert.deepEqual(form(token!), { grant_type: "client_credentials" });
  });

  it("posts the outbound request on the url-encoded sender address with recipient, sender and text", async () => {
    await anAdapter().send(aMessage);
    const [sms] = smsRequests();
    assert.equal(sms!.method, "POST");
    assert.equal(sms!.path, "/smsmessaging/v1/outbound/tel%3A%2B2210000/requests");
    assert.equal(sms!.headers.authorization, "Bearer token-1");
    assert.match(String(sms!.headers["content-type"]), /^application\/json/);
    assert.deepEqual(json(sms!), {
      outboundSMSMessageRequest: {
        address: "tel:+221771234567",
        senderAddress: "tel:+2210000",
        senderName: "SmartQueue",
        outboundSMSTextMessage: { message: "Votre tour approche : ticket A-012, guichet 3." },
      },
    });
  });

  it("answers with the last segment of Orange's resourceURL as the message id", async () => {
    const result = await anAdapter().send(aMessage);
    assert.deepEqual(result, { provider: "orange", provider_message_id: "msg-2" });
  });

  itKeepsOneAccessToken({
    provider: "orange", anAdapter, message: aMessage, tokenRequests, sendRequests: smsRequests,
    tokens: ["token-1", "token-2"],
    revoke: (token) => behaviour.state.revoked.add(token),
  });

  it("renews the token shortly before it expires", async () => {
    let now = 1_700_000_000_000;
    const sms = anAdapter({ now: () => now });
    await sms.send(aMessage);
    now += 3540_000 - 1; // just under a minute before expiry: still good
    await sms.send(aMessage);
    now += 2;
    await sms.send(aMessage);
    assert.deepEqual(smsRequests().map((r) => r.headers.authorization), ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });

  it("fails retryably when Orange answers 503", async () => {
    behaviour.state.smsReply = { status: 503, json: { code: 1003, message: "Service unavailable" } };
    await rejectsAsProviderError(anAdapter().send(aMessage), { provider: "orange", retryable: true, status: 503 });
  });

  it("fails retryably when nothing listens at Orange's address", async () => {
    await rejectsAsProviderError(anAdapter({ baseUrl: await refusedUrl() }).send(aMessage), { provider: "orange", retryable: true, status: null, providerCode: "ECONNREFUSED" });
  });

  it("fails retryably when Orange does not answer in time", async () => {
    behaviour.state.smsReply = { status: 201, hang: true };
    await rejectsAsProviderError(anAdapter({ timeoutMs: 200 }).send(aMessage), { provider: "orange", retryable: true, status: null, providerCode: "timeout" });
  });

  it("fails for good when Orange refuses the number with 400, with Orange's error id", async () => {
    behaviour.state.smsReply = {
      status: 400,
      json: { requestError: { serviceException: { messageId: "SVC0004", text: "No valid addresses provided in message part %1", variables: "address" } } },
    };
    const err = await rejectsAsProviderError(anAdapter().send(aMessage), { provider: "orange", retryable: false, status: 400, providerCode: "SVC0004" });
    assert.match(err.message, /No valid addresses/);
  });

  it("fails for good when the client credentials are refused", async () => {
    behaviour.state.tokenReply = { status: 401, json: { error: "invalid_client", error_description: "The requested service needs credentials, but the ones provided were invalid." } };
    await rejectsAsProviderError(anAdapter().send(aMessage), { provider: "orange", retryable: false, status: 401, providerCode: "invalid_client" });
    assert.equal(smsRequests().length, 0);
  });

  it("refuses a number that is not E.164 without calling Orange", async () => {
    await rejectsAsProviderError(anAdapter().send({ ...aMessage, to: "77 123 45 67" }), { provider: "orange", retryable: false, providerCode: "invalid_number" });
    assert.equal(orange.requests.length, 0);
  });

  it("reports itself healthy when it gets a token, and down with the reason when it does not", async () => {
    assert.deepEqual(await anAdapter().health(), { ok: true });
    const down = await anAdapter({ baseUrl: await refusedUrl() }).health();
    assert.equal(down.ok, false);
    assert.match(down.detail ?? "", /could not reach/);
  });
});
