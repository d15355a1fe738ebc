// Orange as primary and Expresso as fallback, each against its stand-in server: the
// fallback carries messages while Orange is down, Orange takes over again when it is back,
// and every attempt is logged.
import assert from "node:assert/strict";
import { ExpressoSms } from "../../services/notifications/providers/expresso-sms.ts";
import { FallbackSms, type SmsAttempt } from "../../services/notifications/providers/fallback-sms.ts";
import { OrangeSms } from "../../services/notifications/providers/orange-sms.ts";
import { rejectsAsProviderError } from "./provider-assertions.ts";
import { json, standIn, type Recorded, type Reply, type StandIn } from "./stand-in-server.ts";

describe("SMS with a fallback provider", () => {
  let orange: StandIn;
  let expresso: StandIn;
  let orangeDown: Reply | null;
  let expressoDown: Reply | null;
  let attempts: SmsAttempt[];
  let sms: FallbackSms;

  const orangeSpeaks = (req: Recorded): Reply => {
    if (req.path === "/oauth/v3/token") return { status: 200, json: { token_type: "Bearer", access_token: "t", expires_in: 3600 } };
    if (orangeDown) return orangeDown;
    return { status: 201, json: { outboundSMSMessageRequest: { resourceURL: `http://x/requests/o-${orange.requests.length}` } } };
  };

  beforeEach(async () => {
    orangeDown = null;
    expressoDown = null;
    attempts = [];
    orange = await standIn(orangeSpeaks);
    expresso = await standIn(() => expressoDown ?? { status: 200, json: { message_id: `e-${expresso.requests.length}` } });
    sms = new FallbackSms(
      new OrangeSms({ baseUrl: orange.url, clientId: "id", clientSecret: "secret", senderAddress: "+2210000", timeoutMs: 2000 }),
      new ExpressoSms({ baseUrl: expresso.url, apiKey: "key", timeoutMs: 2000 }),
      (attempt) => attempts.push(attempt),
    );
  });
  afterEach(async () => {
    await orange.close();
    await expresso.close();
  });

  const aMessage = (text: string) => ({ to: "+221771234567", text });

  it("sends through the primary alone while it works", async () => {
    const result = await sms.send(aMessage("one"));
    assert.deepEqual(result, { provider: "orange", provider_message_id: "o-2" });
    assert.deepEqual(attempts, [{ provider: "orange", outcome: "sent", provider_message_id: "o-2" }]);
    assert.equal(expresso.requests.length, 0);
  });

  it("sends through the fallback when the primary is down, logging both attempts", async () => {
    orangeDown = { status: 503, json: { code: 1003, message: "Service unavailable" } };
    const result = await sms.send(aMessage("two"));
    assert.deepEqual(result, { provider: "expresso", provider_message_id: "e-1" });
    assert.equal(attempts.length, 2);
    assert.deepEqual({ ...attempts[0], error: undefined }, { provider: "orange", outcome: "failed", retryable: true, error: undefined });
    assert.match(attempts[0]!.error!, /orange: the SMS request answered 503/);
    assert.deepEqual(attempts[1], { provider: "expresso", outcome: "sent", provider_message_id: "e-1" });
  });

  it("goes back to the primary once it is up again, sending each message once", async () => {
    orangeDown = { status: 503 };
    await sms.send(aMessage("during the outage"));
    orangeDown = null;
    const after = await sms.send(aMessage("after the outage"));
    assert.equal(after.provider, "orange");
    assert.deepEqual(attempts.map((a) => `${a.provider}:${a.outcome}`), ["orange:failed", "expresso:sent", "orange:sent"]);
    const orangeDelivered = orange.requests.filter((r) => r.path.startsWith("/smsmessaging/")).map((r) => json(r).outboundSMSMessageRequest.outboundSMSTextMessage.message);
    const expressoDelivered = expresso.requests.map((r) => json(r).text);
    // Orange saw the first message but refused it (503); each message was taken exactly once.
    assert.deepEqual(orangeDelivered, ["during the outage", "after the outage"]);
    assert.deepEqual(expressoDelivered, ["during the outage"]);
  });

  it("fails retryably, naming both providers, when both are down", async () => {
    orangeDown = { status: 503 };
    expressoDown = { status: 500 };
    const err = await rejectsAsProviderError(sms.send(aMessage("lost?")), { provider: "orange+expresso", retryable: true });
    assert.match(err.message, /orange: .*503.*expresso: .*500/);
    assert.deepEqual(attempts.map((a) => `${a.provider}:${a.outcome}`), ["orange:failed", "expresso:failed"]);
  });

  it("reports healthy while either provider is healthy, and which one is down", async () => {
    await orange.close();
    orange = await standIn(() => ({ status: 503 }));
    const health = await new FallbackSms(
      new OrangeSms({ baseUrl: orange.url, clientId: "id", clientSecret: "secret", senderAddress: "+2210000" }),
      new ExpressoSms({ baseUrl: expresso.url, apiKey: "key" }),
      () => {},
    ).health();
    assert.equal(health.ok, true);
    assert.match(health.detail ?? "", /orange: down .*; expresso: ok/);
  });
});
