import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aCitizen, aPhone, PASSWORD } from "../support/fixtures.ts";
import { post } from "../support/http.ts";

const REGISTER = "/api/accounts/auth/register/";

describe("POST /api/accounts/auth/register/", () => {
  it("registers a citizen with a local number stored in E.164 and answers with tokens", async () => {
    const local = aPhone().slice(4); // "77xxxxxxx"
    const reply = await post(REGISTER, { phone: local, password: PASSWORD, first_name: "Awa", email: "Awa.Diop@Example.sn" });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.user.phone, `+221${local}`);
    assert.equal(reply.body.user.role, "citizen");
    assert.equal(reply.body.user.email, "awa.diop@example.sn");
    assert.equal(reply.body.user.locale, "fr");
    assert.equal(reply.body.user.password_hash, undefined);
    assert.match(reply.body.access, /^ey/);
    assert.match(reply.body.refresh, /^ey/);
  });

  it("answers without the trailing slash too", async () => {
    const reply = await post(REGISTER.slice(0, -1), { phone: aPhone(), password: PASSWORD });
    assert.equal(reply.status, 201);
  });

  it("refuses a phone number already registered, in any notation", async () => {
    const first = await aCitizen();
    const reply = await post(REGISTER, { phone: first.user.phone.replace("+221", "00221"), password: PASSWORD });
    assertError(reply, 409, "conflict");
    assert.equal(reply.body.error.details.field, "phone");
  });

  it("refuses an e-mail already registered, whatever its case", async () => {
    await aCitizen({ email: "dup@example.sn" }).catch(() => {});
    const reply = await post(REGISTER, { phone: aPhone(), password: PASSWORD, email: "DUP@example.sn" });
    assertError(reply, 409, "conflict");
    assert.equal(reply.body.error.details.field, "email");
  });

  it("lets the phone be registered once when both registrations share the same e-mail conflict", async () => {
    const phone = aPhone();
    await aCitizen({ email: "taken-once@example.sn" });
    const refused = await post(REGISTER, { phone, password: PASSWORD, email: "taken-once@example.sn" });
    assertError(refused, 409, "conflict");
    // the phone claimed before the e-mail conflict was released
    const again = await post(REGISTER, { phone, password: PASSWORD });
    assert.equal(again.status, 201);
  });

  it("rejects an invalid phone number with the field named", async () => {
    assertInvalidField(await post(REGISTER, { phone: "12345", password: PASSWORD }), "body.phone");
  });

  it("rejects a weak password", async () => {
    assertInvalidField(await post(REGISTER, { phone: aPhone(), password: "short" }), "body.password");
    assertInvalidField(await post(REGISTER, { phone: aPhone(), password: "onlyletters" }), "body.password");
  });

  it("rejects wrong types, missing fields and unknown fields", async () => {
    assertInvalidField(await post(REGISTER, { phone: 771234567, password: PASSWORD }), "body.phone");
    assertInvalidField(await post(REGISTER, { password: PASSWORD }), "body.phone");
    assertInvalidField(await post(REGISTER, { phone: aPhone(), password: PASSWORD, role: "platform_admin" }), "body");
    assertInvalidField(await post(REGISTER, { phone: aPhone(), password: PASSWORD, locale: "de" }), "body.locale");
    assertInvalidField(await post(REGISTER, { phone: aPhone(), password: PASSWORD, email: "not-an-email" }), "body.email");
  });

  it("rejects a body that is not a JSON object", async () => {
    assertInvalidField(await post(REGISTER, [1, 2]), "body");
    assertError(await post(REGISTER, undefined, { raw: '{"phone": "77' }), 400, "malformed_json");
  });
});
