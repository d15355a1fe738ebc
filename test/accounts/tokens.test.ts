import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { system } from "../support/system.ts";

const ME = "/api/accounts/users/me/";
const REFRESH = "/api/accounts/auth/refresh/";
const LOGOUT = "/api/accounts/auth/logout/";

function claimsOf(token: string) {
  return jwt.decode(token) as jwt.JwtPayload;
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("access and refresh tokens", () => {
  it("accepts a fresh access token", async () => {
    const citizen = await aCitizen();
    const reply = await get(ME, { token: citizen.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.id, citizen.user.id);
  });

  it("refuses a call without a token", async () => {
    assertError(await get(ME), 401, "not_authenticated");
  });

  it("refuses an Authorization header that is not a bearer token", async () => {
    const citizen = await aCitizen();
    assertError(await get(ME, { headers: { authorization: `Token ${citizen.access}` } }), 401, "token_invalid");
    assertError(await get(ME, { token: "x".repeat(5000) }), 401, "token_invalid");
  });

  it("answers a path with a bad percent-encoding as a malformed URL", async () => {
    const citizen = await aCitizen();
    assertError(await get("/api/queues/queues/%ZZ/", { token: citizen.access }), 400, "malformed_url");
  });

  it("refuses an expired access token", async () => {
    const citizen = await aCitizen();
    const { jwt: settings } = system().config;
    const claims = claimsOf(citizen.access);
    const expired = jwt.sign(
      { sub: claims.sub, token_type: "access", jti: "expired-1", exp: Math.floor(Date.now() / 1000) - 10 },
      settings.accessSecret,
      { algorithm: "HS256", issuer: settings.issuer },
    );
    assertError(await get(ME, { token: expired }), 401, "token_expired");
  });

  it("refuses a tampered access token", async () => {
    const citizen = await aCitizen();
    const [header, , signature] = citizen.access.split(".");
    const forged = `${header}.${b64({ ...claimsOf(citizen.access), sub: "000000000000000000000000" })}.${signature}`;
    assertError(await get(ME, { token: forged }), 401, "token_invalid");
  });

  it("refuses a token with alg none", async () => {
    const citizen = await aCitizen();
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claimsOf(citizen.access))}.`;
    assertError(await get(ME, { token: unsigned }), 401, "token_invalid");
  });

  it("refuses a token signed with another secret", async () => {
    const citizen = await aCitizen();
    const { iat, ...claims } = claimsOf(citizen.access);
    const foreign = jwt.sign(claims, "another-secret-another-secret-0123456789", { algorithm: "HS256" });
    assertError(await get(ME, { token: foreign }), 401, "token_invalid");
  });

  it("refuses a refresh token used as an access token", async () => {
    const citizen = await aCitizen();
    assertError(await get(ME, { token: citizen.refresh }), 401, "token_invalid");
  });

  it("rotates a refresh token into a new pair", async () => {
    const citizen = await aCitizen();
    const reply = await post(REFRESH, { refresh: citizen.refresh });
    assert.equal(reply.status, 200);
    assert.deepEqual(Object.keys(reply.body).sort(), ["access", "refresh"]);
    assert.notEqual(reply.body.refresh, citizen.refresh);
    assert.equal((await get(ME, { token: reply.body.access })).status, 200);
  });

  it("revokes the whole family when a used refresh token is presented again", async () => {
    const citizen = await aCitizen();
    const rotated = await post(REFRESH, { refresh: citizen.refresh });
    assertError(await post(REFRESH, { refresh: citizen.refresh }), 401, "refresh_token_reused");
    // the descendant issued before the reuse is revoked too
    assertError(await post(REFRESH, { refresh: rotated.body.refresh }), 401, "token_invalid");
  });

  it("lets only one of two concurrent refreshes with the same token succeed", async () => {
    const citizen = await aCitizen();
    const replies = await Promise.all([1, 2, 3].map(() => post(REFRESH, { refresh: citizen.refresh })));
    assert.equal(replies.filter((r) => r.status === 200).length, 1);
  });

  it("refuses an access token as a refresh token, and bad input", async () => {
    const citizen = await aCitizen();
    assertError(await post(REFRESH, { refresh: citizen.access }), 401, "token_invalid");
    assertInvalidField(await post(REFRESH, {}), "body.refresh");
    assertInvalidField(await post(REFRESH, { refresh: 42 }), "body.refresh");
  });

  it("logs out: the access token and the refresh token stop working", async () => {
    const citizen = await aCitizen();
    const reply = await post(LOGOUT, { refresh: citizen.refresh }, { token: citizen.access });
    assert.equal(reply.status, 204);
    assertError(await get(ME, { token: citizen.access }), 401, "token_invalid");
    assertError(await post(REFRESH, { refresh: citizen.refresh }), 401, "token_invalid");
  });

  it("needs the bearer token to log out, and only one's own session", async () => {
    const citizen = await aCitizen();
    const other = await aCitizen();
    assertError(await post(LOGOUT, { refresh: citizen.refresh }), 401, "not_authenticated");
    assertError(await post(LOGOUT, { refresh: citizen.refresh }, { token: other.access }), 403, "forbidden");
    assert.equal((await post(REFRESH, { refresh: citizen.refresh })).status, 200);
    assertInvalidField(await post(LOGOUT, { refresh: "" }, { token: citizen.access }), "body.refresh");
  });
});
