import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { VerifiedTokens } from "../../services/accounts/verified-tokens.ts";
import { assertError } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get } from "../support/http.ts";

describe("verified tokens", () => {
  it("answers a token's claims until its expiry, then says it expired and forgets it", () => {
    const verified = new VerifiedTokens();
    verified.remember("t", { sub: "u", jti: "j", exp: 100 });
    assert.deepEqual(verified.get("t", 99), { sub: "u", jti: "j", exp: 100 });
    assert.equal(verified.get("t", 100), "expired");
    assert.equal(verified.get("t", 50), undefined);
    assert.equal(verified.get("another", 50), undefined);
  });

  it("keeps refusing a forged token after its genuine twin was accepted", async () => {
    const citizen = await aCitizen();
    assert.equal((await get("/api/accounts/users/me/", { token: citizen.access })).status, 200);
    const [header, , signature] = citizen.access.split(".");
    const claims = jwt.decode(citizen.access) as jwt.JwtPayload;
    const body = Buffer.from(JSON.stringify({ ...claims, sub: "000000000000000000000000" })).toString("base64url");
    assertError(await get("/api/accounts/users/me/", { token: `${header}.${body}.${signature}` }), 401, "token_invalid");
    assert.equal((await get("/api/accounts/users/me/", { token: citizen.access })).status, 200);
  });
});
