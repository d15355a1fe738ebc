// Tokens that must never open anything, on REST and on every live channel's upgrade:
// unsigned, signed with another algorithm or key, of another issuer or type, expired or
// not yet valid, or a refresh token offered as an access token.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { assertError } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { assertRefused, closeClients, notificationsPath, queuePath } from "../support/live-client.ts";
import { aQueue } from "../support/queues.ts";
import { system } from "../support/system.ts";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("JWT negatives", () => {
  afterEach(closeClients);

  it("refuses every forged, foreign, stale or misused token on REST and on each live channel", async () => {
    const citizen = await aCitizen();
    const { org, admin } = await anAdministeredOrganization();
    const queue = await aQueue(admin, org.id);
    const { accessSecret, issuer } = system().config.jwt;
    const now = Math.floor(Date.now() / 1000);
    const claims = (extra: object = {}) => ({ sub: citizen.user.id, token_type: "access", jti: randomUUID(), sep: 0, exp: now + 600, ...extra });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const bad: Record<string, string> = {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`,
      "RS256 with a key of its own": jwt.sign(claims(), privateKey, { algorithm: "RS256", issuer }),
      "HS512 with the right secret": jwt.sign(claims(), accessSecret, { algorithm: "HS512", issuer }),
      "another environment's secret": jwt.sign(claims(), "another-environment-secret-0123456789abcdef", { algorithm: "HS256", issuer }),
      "another issuer": jwt.sign(claims(), accessSecret, { algorithm: "HS256", issuer: "not-smartqueue" }),
      "no issuer": jwt.sign(claims(), accessSecret, { algorithm: "HS256" }),
      "another type": jwt.sign(claims({ token_type: "password_reset" }), accessSecret, { algorithm: "HS256", issuer }),
      expired: jwt.sign(claims({ exp: now - 5 }), accessSecret, { algorithm: "HS256", issuer }),
      "not yet valid": jwt.sign(claims({ nbf: now + 3600 }), accessSecret, { algorithm: "HS256", issuer }),
      "a refresh token": citizen.refresh,
      "a tampered payload": `${citizen.access.split(".")[0]}.${b64(claims({ sub: admin.user.id }))}.${citizen.access.split(".")[2]}`,
      garbage: "not-a-token",
    };
    let cases = 0;
    for (const [what, token] of Object.entries(bad)) {
      const reply = await get("/api/accounts/users/me/", { token });
      if (reply.status !== 401) throw new Error(`REST accepted ${what}: ${reply.status}`);
      assertError(reply, 401, reply.body.error.code === "token_expired" ? "token_expired" : "token_invalid");
      for (const path of [notificationsPath(citizen.user.id), queuePath(queue.id)]) {
        await assertRefused(path, { token }, 401, reply.body.error.code);
        cases++;
      }
      cases++;
    }
    console.log(`      ${cases} refusals: ${Object.keys(bad).length} bad tokens × REST and two live channels`);
  });
});
