import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { aCitizen, aPhone, PASSWORD } from "../support/fixtures.ts";
import { call, get, post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import SwaggerParser from "@apidevtools/swagger-parser";

describe("REST gateway", () => {
  it("answers an unknown endpoint with 404 in the error shape", async () => {
    assertError(await get("/api/nothing-here/"), 404, "route_not_found");
    assertError(await get("/elsewhere"), 404, "route_not_found");
  });

  it("answers malformed JSON with 400", async () => {
    assertError(await post("/api/accounts/auth/login/", undefined, { raw: "{'phone':" }), 400, "malformed_json");
  });

  it("answers a body over the limit with 413", async () => {
    const huge = { phone: aPhone(), password: PASSWORD, first_name: "x".repeat(70_000) };
    assertError(await post("/api/accounts/auth/register/", huge), 413, "payload_too_large");
  });

  it("answers a body that is not JSON with 415", async () => {
    const reply = await post("/api/accounts/auth/login/", undefined, { raw: "phone=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assertError(reply, 415, "unsupported_media_type");
  });

  it("gives every answer a request id, and keeps the caller's", async () => {
    const mine = await get("/health/live", { headers: { "x-request-id": "req-42" } });
    assert.equal(mine.headers.get("x-request-id"), "req-42");
    assert.ok((await get("/api/nothing")).headers.get("x-request-id"));
  });

  it("reports liveness and readiness", async () => {
    assert.deepEqual((await get("/health/live")).body, { status: "ok" });
    const ready = await get("/health/ready/");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { mongodb: true, transporter: true, routes: true });
  });

  it("serves an OpenAPI 3.1 document generated from the request schemas, valid by the OpenAPI validator", async () => {
    const doc = (await get("/api/openapi.json")).body;
    assert.equal(doc.openapi, "3.1.0");
    // The validator dereferences what it is given: it gets a copy.
    await SwaggerParser.validate(structuredClone(doc));
    const register = doc.paths["/api/accounts/auth/register/"].post;
    assert.deepEqual(register.requestBody.content["application/json"].schema.required.sort(), ["password", "phone"]);
    assert.equal(register.requestBody.content["application/json"].schema.additionalProperties, false);
    const getUser = doc.paths["/api/accounts/users/{id}/"].get;
    assert.deepEqual(getUser.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`), ["path:id"]);
    assert.ok(doc.paths["/api/business/organizations/"], "business endpoints are documented too");
    for (const path of ["/api/queues/tickets/", "/api/queues/queues/{id}/call-next/", "/api/queues/tickets/{id}/recall/", "/api/accounts/display-tokens/"]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    assert.ok(!Object.keys(doc.paths).some((p) => p.includes("actorCommand") || p.includes("authenticate")), "internal actions stay undocumented");
  });

  it("serves Swagger UI at /api/docs from local files", async () => {
    const page = await get("/api/docs");
    assert.equal(page.status, 200);
    assert.match(String(page.headers.get("content-type")), /text\/html/);
    assert.match(page.body, /swagger-ui-bundle\.js/);
    assert.equal((await get("/api/docs/swagger-ui-bundle.js")).status, 200);
    assertError(await get("/api/docs/..%2Fpackage.json"), 404, "route_not_found");
  });

  describe("with a low auth rate limit and CORS origins", () => {
    let node: TestSystem;
    let baseUrl: string;
    before(async () => {
      node = await startExtraSystem({ AUTH_RATE_LIMIT: "3", CORS_ORIGINS: "https://office.example.sn" });
      baseUrl = node.baseUrl;
    });
    after(() => stopExtraSystem(node));

    it("limits login attempts per client with 429", async () => {
      const body = { phone: "+221770000099", password: "Wrong-pass1" };
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await post("/api/accounts/auth/login/", body, { baseUrl }));
      assert.deepEqual(replies.slice(0, 3).map((r) => r.status), [401, 401, 401]);
      assertError(replies[3], 429, "rate_limited");
      assert.ok(Number(replies[3].headers.get("retry-after")) > 0);
    });

    it("does not limit the other endpoints", async () => {
      const citizen = await aCitizen();
      for (let i = 0; i < 5; i++) {
        assert.equal((await get("/api/accounts/users/me/", { token: citizen.access, baseUrl })).status, 200);
      }
    });

    it("answers CORS preflights for configured origins only", async () => {
      const allowed = await call("OPTIONS", "/api/accounts/users/me/", undefined, {
        baseUrl,
        headers: { origin: "https://office.example.sn", "access-control-request-method": "GET" },
      });
      assert.equal(allowed.status, 204);
      assert.equal(allowed.headers.get("access-control-allow-origin"), "https://office.example.sn");
      const other = await call("OPTIONS", "/api/accounts/users/me/", undefined, {
        baseUrl,
        headers: { origin: "https://evil.example.com", "access-control-request-method": "GET" },
      });
      assertError(other, 403, "origin_not_allowed");
      assert.equal(other.headers.get("access-control-allow-origin"), null);
    });
  });
});
