import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aCitizen, PASSWORD } from "../support/fixtures.ts";
import { post } from "../support/http.ts";

const LOGIN = "/api/accounts/auth/login/";

describe("POST /api/accounts/auth/login/", () => {
  it("logs in by phone and answers access, refresh and the user", async () => {
    const citizen = await aCitizen();
    const reply = await post(LOGIN, { phone: citizen.user.phone, password: PASSWORD });
    assert.equal(reply.status, 200);
    assert.deepEqual(Object.keys(reply.body).sort(), ["access", "refresh", "user"]);
    assert.equal(reply.body.user.id, citizen.user.id);
  });

  it("logs in by a local phone number", async () => {
    const citizen = await aCitizen();
    const reply = await post(LOGIN, { phone: citizen.user.phone.slice(4), password: PASSWORD });
    assert.equal(reply.status, 200);
  });

  it("logs in by e-mail, whatever its case", async () => {
    const citizen = await aCitizen({ email: `login-${Date.now()}@example.sn` });
    const reply = await post(LOGIN, { email: String(citizen.user.email).toUpperCase(), password: PASSWORD });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.user.id, citizen.user.id);
  });

  it("answers the same 401 for a wrong password and an unknown account", async () => {
    const citizen = await aCitizen();
    const wrong = await post(LOGIN, { phone: citizen.user.phone, password: "Wrong-pass1" });
    const unknown = await post(LOGIN, { phone: "+221779999990", password: PASSWORD });
    assertError(wrong, 401, "bad_credentials");
    assertError(unknown, 401, "bad_credentials");
    assert.equal(wrong.body.error.message, unknown.body.error.message);
  });

  it("needs exactly one of phone and email", async () => {
    assertInvalidField(await post(LOGIN, { password: PASSWORD }), "body.phone");
    assertInvalidField(await post(LOGIN, { phone: "+221771111111", email: "a@b.sn", password: PASSWORD }), "body.phone");
  });

  it("rejects wrong types and unknown fields", async () => {
    assertInvalidField(await post(LOGIN, { phone: "+221771111111", password: 12345678 }), "body.password");
    assertInvalidField(await post(LOGIN, { phone: "+221771111111", password: PASSWORD, remember: true }), "body");
  });
});
