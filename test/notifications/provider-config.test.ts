import assert from "node:assert/strict";
import { loadConfig } from "../../config/index.ts";

describe("notification provider settings", () => {
  const prod = { NODE_ENV: "production", JWT_ACCESS_SECRET: "a".repeat(32), JWT_REFRESH_SECRET: "b".repeat(32) };

  it("uses the log SMS provider by default only outside production", () => {
    assert.equal(loadConfig({}).notifications.smsProvider, "log");
    assert.equal(loadConfig(prod).notifications.smsProvider, undefined);
    assert.throws(() => loadConfig({ ...prod, SMS_PROVIDER: "log" }), /SMS_PROVIDER cannot be log in production/);
  });

  it("requires the credentials of every SMS provider it is told to use", () => {
    assert.throws(() => loadConfig({ SMS_PROVIDER: "orange" }), /ORANGE_SMS_CLIENT_ID is required when orange sends SMS/);
    const orange = { SMS_PROVIDER: "orange", ORANGE_SMS_CLIENT_ID: "id", ORANGE_SMS_CLIENT_SECRET: "secret", ORANGE_SMS_SENDER: "+2210000" };
    assert.throws(() => loadConfig({ ...orange, SMS_FALLBACK_PROVIDER: "expresso" }), /EXPRESSO_SMS_BASE_URL is required/);
    assert.throws(() => loadConfig({ ...orange, SMS_FALLBACK_PROVIDER: "orange" }), /must differ from SMS_PROVIDER/);
    assert.equal(loadConfig(orange).notifications.orange.baseUrl, "https://api.orange.com");
  });
});
