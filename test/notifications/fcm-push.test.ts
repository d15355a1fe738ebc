// The FCM adapter against a local server playing Google's token endpoint and FCM HTTP v1:
// the service account's signed assertion, the token exchange and messages:send.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { FCM_SCOPE, FcmPush, type FcmPushOptions } from "../../services/notifications/providers/fcm-push.ts";
import { itKeepsOneAccessToken } from "./access-token-behaviour.ts";
import { rejectsAsProviderError } from "./provider-assertions.ts";
import { form, json, refusedUrl, standIn, type Recorded, type Reply, type StandIn } from "./stand-in-server.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const SEND_PATH = "/v1/projects/smartqueue-sn/messages:send";

describe("FCM push adapter", () => {
  let google: StandIn;
  const state = { issued: [] as string[], revoked: new Set<string>(), sendReply: null as Reply | null };

  const handler = (req: Recorded): Reply => {
    if (req.path === "/token") {
      const token = `ya29.token-${state.issued.length + 1}`;
      state.issued.push(token);
      return { status: 200, json: { access_token: token, expires_in: 3599, token_type: "Bearer" } };
    }
    if (req.path === SEND_PATH) {
      const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (!state.issued.includes(bearer) || state.revoked.has(bearer)) return { status: 401, json: { error: { code: 401, status: "UNAUTHENTICATED" } } };
      return state.sendReply ?? { status: 200, json: { name: `projects/smartqueue-sn/messages/0:${google.requests.length}` } };
    }
    return { status: 404, json: { error: { code: 404, status: "NOT_FOUND" } } };
  };

  beforeEach(async () => {
    state.issued = [];
    state.revoked = new Set();
    state.sendReply = null;
    google = await standIn(handler);
  });
  afterEach(() => google.close());

  const anAdapter = (o: Partial<FcmPushOptions> = {}) =>
    new FcmPush({
      serviceAccount: { project_id: "smartqueue-sn", client_email: "push@smartqueue-sn.iam.gserviceaccount.com", private_key: privateKey, token_uri: `${google.url}/token` },
      baseUrl: google.url,
      timeoutMs: 2000,
      ...o,
    });
  const aPush = { token: "device-registration-token", title: "C'est votre tour", body: "Ticket A-012 : guichet 3", data: { ticket_id: "t1", queue_id: "q1" } };
  const tokenRequests = () => google.requests.filter((r) => r.path === "/token");
  const sendRequests = () => google.requests.filter((r) => r.path === SEND_PATH);

  it("exchanges a jwt-bearer assertion signed RS256 by the service account for a token", async () => {
    const before = Math.floor(Date.now() / 1000);
    await anAdapter().send(aPush);
    const [token] = tokenRequests();
    assert.equal(token!.headers["content-type"], "application/x-www-form-urlencoded");
    const body = form(token!);
    assert.deepEqual(Object.keys(body).sort(), ["assertion", "grant_type"]);
    assert.equal(body.grant_type, "urn:ietf:params:oauth:grant-type:jwt-bearer");
    const claims = jwt.verify(body.assertion!, publicKey, { algorithms: ["RS256"] }) as jwt.JwtPayload;
    assert.equal(jwt.decode(body.assertion!, { complete: true })!.header.alg, "RS256");
    assert.equal(claims.iss, "push@smartqueue-sn.iam.gserviceaccount.com");
    assert.equal(claims.scope, FCM_SCOPE);
    assert.equal(claims.aud, `${google.url}/token`);
    assert.ok(claims.iat! >= before && claims.iat! <= before + 5);
    assert.ok(claims.exp! > claims.iat! && claims.exp! - claims.iat! <= 3600);
  });

  it("posts the message with token, notification and data to the project's messages:send", async () => {
    const result = await anAdapter().send(aPush);
    const [send] = sendRequests();
    assert.equal(send!.method, "POST");
    assert.equal(send!.headers.authorization, "Bearer ya29.token-1");
    assert.deepEqual(json(send!), {
      message: {
        token: "device-registration-token",
        notification: { title: "C'est votre tour", body: "Ticket A-012 : guichet 3" },
        data: { ticket_id: "t1", queue_id: "q1" },
      },
    });
    assert.deepEqual(result, { provider: "fcm", provider_message_id: "projects/smartqueue-sn/messages/0:2" });
  });

  itKeepsOneAccessToken({
    provider: "fcm", anAdapter, message: aPush, tokenRequests, sendRequests,
    tokens: ["ya29.token-1", "ya29.token-2"],
    revoke: (token) => state.revoked.add(token),
  });

  it("fails for good on an unregistered device token, naming FCM's error code", async () => {
    state.sendReply = {
      status: 404,
      json: { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } },
    };
    await rejectsAsProviderError(anAdapter().send(aPush), { provider: "fcm", retryable: false, status: 404, providerCode: "UNREGISTERED" });
  });

  it("fails retryably when FCM is unavailable or unreachable", async () => {
    state.sendReply = { status: 503, json: { error: { code: 503, status: "UNAVAILABLE" } } };
    await rejectsAsProviderError(anAdapter().send(aPush), { provider: "fcm", retryable: true, status: 503, providerCode: "UNAVAILABLE" });
    await rejectsAsProviderError(anAdapter({ baseUrl: await refusedUrl() }).send(aPush), { provider: "fcm", retryable: true, status: null });
  });
});
