// Staff send SMS and e-mail by hand (their text or a template); the delivery log shows
// each message to the organisation that sent it.
import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPhone, aPlatformAdmin } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { aKey, DELIVERIES, SEND_EMAIL, SEND_SMS, SMS_PROVIDERS } from "./notification-fixtures.ts";

describe("/api/notifications/send-sms/, send-email/ and deliveries/", () => {
  let cappedNode: TestSystem | undefined;
  afterEach(() => stopExtraSystem(cappedNode));

  it("sends an agent's SMS from a template, reading a local number as Senegalese", async () => {
    const { org } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const phone = aPhone();
    const local = phone.slice(4).replace(/(\d{2})(\d{3})(\d{2})(\d{2})/, "$1 $2 $3 $4");
    const sent = await post(SEND_SMS, { to: local, template: "ticket.called", locale: "wo", data: { number: "B-007", counter: "Guichet 2" } }, { token: agent.access });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.headers.get("location"), `/api/notifications/deliveries/${sent.body.id}/`);
    assert.deepEqual([sent.body.recipient, sent.body.status, sent.body.provider, sent.body.event], [phone, "sent", "log", "ticket.called"]);
    assert.equal(sent.body.text, "Tike B-007: dem ca Guichet 2.");
    assert.deepEqual([sent.body.organization_id, sent.body.requested_by], [org.id, agent.user.id]);
  });

  it("lets an admin, not an agent, write a text of their own", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const phone = aPhone();
    assertError(await post(SEND_SMS, { to: phone, text: "Gagnez un prix !" }, { token: (await anAgent(org.id)).access }), 403, "forbidden");
    const own = await post(SEND_SMS, { to: phone, text: "Votre dossier est prêt." }, { token: admin.access });
    assert.deepEqual([own.status, own.body.event, own.body.text, own.body.requested_by], [201, "direct", "Votre dossier est prêt.", admin.user.id]);
    assertPage(await get(`${DELIVERIES}?search=${encodeURIComponent(phone)}`, { token: admin.access }), 1, 1);
  });

  it("caps what an organisation sends by hand each day, across its staff", async () => {
    const { baseUrl } = (cappedNode = await startExtraSystem({ DIRECT_MESSAGES_PER_DAY: "2" }));
    const { org, admin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const template = { template: "ticket.called", data: { number: "A-1", counter: "Guichet 1" } };
    assert.equal((await post(SEND_SMS, { to: aPhone(), ...template }, { token: agent.access, baseUrl })).status, 201);
    assert.equal((await post(SEND_SMS, { to: aPhone(), text: "Bonjour" }, { token: admin.access, baseUrl })).status, 201);
    const refused = await post(SEND_SMS, { to: aPhone(), ...template }, { token: agent.access, baseUrl });
    assertError(refused, 429, "daily_cap_reached");
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    const other = await anAdministeredOrganization();
    assert.equal((await post(SEND_SMS, { to: aPhone(), text: "Bonjour" }, { token: other.admin.access, baseUrl })).status, 201);
  });

  it("sends once per idempotency key, from the body or the Idempotency-Key header", async () => {
    const { admin } = await anAdministeredOrganization();
    const phone = aPhone();
    const key = aKey("sms");
    const first = await post(SEND_SMS, { to: phone, text: "Une fois", idempotency_key: key }, { token: admin.access });
    const again = await post(SEND_SMS, { to: phone, text: "Une fois", idempotency_key: key }, { token: admin.access });
    assert.equal(again.body.id, first.body.id);
    const header = aKey("header");
    const viaHeader = await post(SEND_SMS, { to: phone, text: "Par en-tête" }, { token: admin.access, headers: { "idempotency-key": header } });
    const viaHeaderAgain = await post(SEND_SMS, { to: phone, text: "Par en-tête" }, { token: admin.access, headers: { "idempotency-key": header } });
    assert.equal(viaHeaderAgain.body.id, viaHeader.body.id);
    assertPage(await get(`${DELIVERIES}?search=${encodeURIComponent(phone)}`, { token: admin.access }), 2, 2);
  });

  it("refuses invalid phone numbers, unknown templates and values that do not fit, with 400s naming the field", async () => {
    const { org } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const as = { token: agent.access };
    for (const to of ["12345", "+221 12 345", "not a number", "+2217712345678901"]) {
      const reply = await post(SEND_SMS, { to, text: "x" }, as);
      assertInvalidField(reply, "body.to");
      assert.match(reply.body.error.details.fields[0].message, /not a valid phone number|at least|at most/);
    }
    const unknown = await post(SEND_SMS, { to: aPhone(), template: "no.such_template" }, as);
    assertInvalidField(unknown, "body.template");
    assert.match(unknown.body.error.details.fields[0].message, /no sms template named no.such_template/);
    const missing = await post(SEND_SMS, { to: aPhone(), template: "ticket.called", data: { number: "A-1" } }, as);
    assertInvalidField(missing, "body.data");
    assert.match(missing.body.error.details.fields[0].message, /counter is missing/);
    assertInvalidField(await post(SEND_SMS, { to: aPhone(), template: "turn_near", data: { number: "A-1", position: "2", minutes: 5 } }, as), "body.data");
    assertInvalidField(await post(SEND_SMS, { to: aPhone(), text: "x", template: "ticket.called" }, as), "body.text");
    assertInvalidField(await post(SEND_SMS, { to: aPhone() }, as), "body.text");
    assertInvalidField(await post(SEND_SMS, { to: aPhone(), text: "x", locale: "de" }, as), "body.locale");
    assertInvalidField(await post(SEND_SMS, { to: aPhone(), text: "x", cc: "y" }, as), "body");
    await assertRefusesBadBodies("POST", SEND_SMS, agent.access);
    assertInvalidField(await post(SEND_EMAIL, { to: "not-an-address", subject: "s", text: "x" }, as), "body.to");
    assertPage(await get(DELIVERIES, as), 0, 0);
  });

  it("answers 503 for e-mail when no SMTP server is configured", async () => {
    const { org } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const unconfigured = await post(SEND_EMAIL, { to: "awa@example.sn", subject: "Bonjour", text: "x" }, { token: agent.access });
    assertError(unconfigured, 503, "channel_not_configured");
    assert.equal(unconfigured.headers.get("retry-after"), "1", "every 503 says when to retry");
  });

  it("refuses citizens sending, and shows an organisation's deliveries to its staff only", async () => {
    const citizen = await aCitizen();
    assertError(await post(SEND_SMS, { to: aPhone(), text: "x" }, { token: citizen.access }), 403, "forbidden");
    assertError(await post(SEND_EMAIL, { to: "a@example.sn", subject: "s", text: "x" }, { token: citizen.access }), 403, "forbidden");
    assertError(await post(SEND_SMS, { to: aPhone(), text: "x" }), 401, "not_authenticated");
    assertError(await get(DELIVERIES, { token: citizen.access }), 403, "forbidden");
    const { admin } = await anAdministeredOrganization();
    const sent = await post(SEND_SMS, { to: aPhone(), text: "Interne" }, { token: admin.access });
    assert.equal((await get(`${DELIVERIES}${sent.body.id}/`, { token: admin.access })).status, 200);
    const foreign = await anAdministeredOrganization();
    assertError(await get(`${DELIVERIES}${sent.body.id}/`, { token: foreign.admin.access }), 404, "not_found");
    assertError(await get(`${DELIVERIES}${sent.body.id}/`, { token: citizen.access }), 403, "forbidden");
    assertPage(await get(DELIVERIES, { token: foreign.admin.access }), 0, 0);
    const platform = await get(`${DELIVERIES}${sent.body.id}/`, { token: (await aPlatformAdmin()).access });
    assert.deepEqual([platform.status, platform.body.history.length, platform.body.history[0].outcome], [200, 1, "sent"]);
    assertInvalidField(await get(`${DELIVERIES}?status=lost`, { token: admin.access }), "query.status");
  });

  it("shows staff the configured SMS providers with their health", async () => {
    const { org } = await anAdministeredOrganization();
    const reply = await get(SMS_PROVIDERS, { token: (await anAgent(org.id)).access });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.map((p: any) => [p.name, p.role, p.healthy]), [["log", "primary", true]]);
    assert.match(reply.body[0].detail, /development only/);
    assertError(await get(SMS_PROVIDERS, { token: (await aCitizen()).access }), 403, "forbidden");
  });
});

describe("the notifications API in OpenAPI", () => {
  it("documents the REST endpoints, and neither notify nor retryDelivery", async () => {
    const doc = (await get("/api/openapi.json")).body;
    for (const path of ["/api/notifications/send-sms/", "/api/notifications/templates/{id}/", "/api/notifications/notifications/{id}/read/", "/api/notifications/push-tokens/{token}/"]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    assert.ok(doc.paths["/api/notifications/send-sms/"].post.requestBody);
    const operations = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    assert.ok(!operations.includes("notifications.notify") && !operations.includes("notifications.retryDelivery"));
  });
});
