import assert from "node:assert/strict";
import { ConfigError, loadConfig, SERVICE_NAMES } from "../../config/index.ts";

describe("configuration", () => {
  it("starts on embedded defaults: one node, ports 3000/3001, everything in-process", () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.wsPort, 3001);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.natsUrl, undefined);
    assert.deepEqual(config.services, [...SERVICE_NAMES]);
    assert.ok(config.services.includes("queues"));
    assert.ok(Object.isFrozen(config));
  });

  it("names the bad setting in one line", () => {
    assert.throws(() => loadConfig({ PORT: "seventy" }), (err: Error) => err instanceof ConfigError && /^Invalid configuration: PORT /.test(err.message) && !err.message.includes("\n"));
    assert.throws(() => loadConfig({ NATS_URL: "localhost:4222" }), /NATS_URL must start with nats:\/\//);
    assert.throws(() => loadConfig({ SERVICES: "api,billing" }), /SERVICES/);
    assert.throws(() => loadConfig({ JWT_ACCESS_SECRET: "short" }), /JWT_ACCESS_SECRET must be at least 32 characters/);
    assert.throws(() => loadConfig({ RATING_LINK_CHANNELS: "in_app,fax" }), /RATING_LINK_CHANNELS/);
    assert.throws(() => loadConfig({ RATING_LINK_CHANNELS: "," }), /RATING_LINK_CHANNELS/);
  });

  it("requires real JWT secrets in production", () => {
    assert.throws(() => loadConfig({ NODE_ENV: "production" }), /JWT_ACCESS_SECRET is required in production/);
    const secret = "a".repeat(32);
    assert.throws(() => loadConfig({ NODE_ENV: "production", JWT_ACCESS_SECRET: secret, JWT_REFRESH_SECRET: secret }), /must differ/);
  });

  it("reads lists and treats empty variables as unset", () => {
    const config = loadConfig({ SERVICES: "api, accounts", CORS_ORIGINS: "https://a.sn,https://b.sn", PORT: "" });
    assert.deepEqual(config.services, ["api", "accounts"]);
    assert.deepEqual(config.corsOrigins, ["https://a.sn", "https://b.sn"]);
    assert.equal(config.port, 3000);
    assert.deepEqual(config.analytics.ratingLink.channels, ["in_app", "push"]);
    assert.deepEqual(loadConfig({ RATING_LINK_CHANNELS: "sms, in_app,sms" }).analytics.ratingLink.channels, ["sms", "in_app"]);
  });

  it("takes the first platform admin only with both phone and password", () => {
    assert.throws(() => loadConfig({ ADMIN_PHONE: "+221771234567" }), /ADMIN_PHONE and ADMIN_PASSWORD go together/);
  });
});
