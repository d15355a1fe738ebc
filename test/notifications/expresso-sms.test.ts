// The Expresso adapter against a local server speaking the JSON shape it is written for
// (see services/notifications/providers/expresso-sms.ts on why that shape).
import assert from "node:assert/strict";
import { ExpressoSms } from "../../services/notifications/providers/expresso-sms.ts";
import { rejectsAsProviderError } from "./provider-assertions.ts";
import { json, refusedUrl, standIn, type Reply, type StandIn } from "./stand-in-server.ts";

describe("Expresso SMS adapter", () => {
  let expresso: StandIn;
  let reply: Reply;

  beforeEach(async () => {
    reply = { status: 200, json: { message_id: "exp-42", status: "accepted" } };
    expresso = await standIn(() => reply);
  });
  afterEach(() => expresso.close());

  const anAdapter = (baseUrl = expresso.url) => new ExpressoSms({ baseUrl, apiKey: "exp-key", sender: "SmartQueue", timeoutMs: 2000 });
  const aMessage = { to: "+221701234567", text: "Vous êtes appelé au guichet 2." };

  it("posts the recipient, text and sender as JSON with the API key header", async () => {
    const result = await anAdapter().send(aMessage);
    const [sent] = expresso.requests;
    assert.equal(sent!.method, "POST");
    assert.equal(sent!.path, "/api/v1/sms/send");
    assert.equal(sent!.headers["x-api-key"], "exp-key");
    assert.deepEqual(json(sent!), { to: "+221701234567", text: "Vous êtes appelé au guichet 2.", sender: "SmartQueue" });
    assert.deepEqual(result, { provider: "expresso", provider_message_id: "exp-42" });
  });

  it("fails for good when the key is refused, and retryably when Expresso is down", async () => {
    reply = { status: 403, json: { error: "invalid api key" } };
    await rejectsAsProviderError(anAdapter().send(aMessage), { provider: "expresso", retryable: false, status: 403 });
    reply = { status: 502 };
    await rejectsAsProviderError(anAdapter().send(aMessage), { provider: "expresso", retryable: true, status: 502 });
    await rejectsAsProviderError(anAdapter(await refusedUrl()).send(aMessage), { provider: "expresso", retryable: true, status: null });
  });
});
