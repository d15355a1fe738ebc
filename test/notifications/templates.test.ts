// Templates per channel and locale with typed placeholders, checked when saved; built-in
// wording for the system events in French, English and Wolof.
import assert from "node:assert/strict";
import { builtInTemplates } from "../../services/notifications/templates/defaults.ts";
import { CHANNELS, LOCALES, SYSTEM_EVENTS } from "../../services/notifications/templates/events.ts";
import { parsePlaceholders } from "../../services/notifications/templates/placeholders.ts";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin } from "../support/fixtures.ts";
import { get, post, put } from "../support/http.ts";
import { aKey, TEMPLATES } from "./notification-fixtures.ts";

const aTemplateKey = () => `promo.k${aKey("").replace(/-/g, "").slice(0, 12)}`;

describe("/api/notifications/templates/", () => {
  it("has built-in wording for every system event, channel and locale, using only the event's placeholders", () => {
    const all = builtInTemplates();
    assert.equal(all.length, Object.keys(SYSTEM_EVENTS).length * CHANNELS.length * LOCALES.length);
    for (const t of all) {
      const parsed = parsePlaceholders(`${t.subject ?? ""} ${t.body}`);
      assert.deepEqual(parsed.problems, [], t.key);
      assert.deepEqual(parsed.placeholders, SYSTEM_EVENTS[t.key as keyof typeof SYSTEM_EVENTS], `${t.key} ${t.locale}`);
    }
  });

  it("lists the templates to staff, filtered by key, channel and locale", async () => {
    const { org } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const reply = await get(`${TEMPLATES}?key=appointment.reminder&channel=sms`, { token: agent.access });
    assertPage(reply, 3, 3);
    assert.deepEqual(reply.body.results.map((t: any) => t.locale).sort(), ["en", "fr", "wo"]);
    const wo = await get(`${TEMPLATES}ticket.called:push:wo/`, { token: agent.access });
    assert.equal(wo.status, 200, JSON.stringify(wo.body));
    assert.deepEqual(wo.body.placeholders, { number: "string", counter: "string" });
    assert.equal(wo.body.built_in, true);
  });

  it("lets the platform admin create a template and change it, checking its placeholders each time", async () => {
    const admin = await aPlatformAdmin();
    const key = aTemplateKey();
    const made = await post(TEMPLATES, { key, channel: "sms", locale: "fr", body: "Bonjour {{name:string}}, -{{percent:number}}% aujourd'hui." }, { token: admin.access });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.headers.get("location"), `/api/notifications/templates/${key}:sms:fr/`);
    assert.deepEqual(made.body.placeholders, { name: "string", percent: "number" });
    assertError(await post(TEMPLATES, { key, channel: "sms", locale: "fr", body: "Encore" }, { token: admin.access }), 409, "conflict");
    const changed = await put(`${TEMPLATES}${made.body.id}/`, { body: "Salut {{name:string}}" }, { token: admin.access });
    assert.deepEqual([changed.status, changed.body.body, changed.body.placeholders], [200, "Salut {{name:string}}", { name: "string" }]);
    const reminder = await put(`${TEMPLATES}appointment.reminder:sms:en/`, { body: "See you at {{time:string}} on {{date:string}}." }, { token: admin.access });
    assert.deepEqual([reminder.status, reminder.body.built_in], [200, false]);
    await put(`${TEMPLATES}appointment.reminder:sms:en/`, { body: builtInTemplates().find((t) => t.key === "appointment.reminder" && t.channel === "sms" && t.locale === "en")!.body }, { token: admin.access });
  });

  it("refuses unknown, ill-typed and malformed placeholders with 400 naming the field", async () => {
    const admin = await aPlatformAdmin();
    const as = { token: admin.access };
    const unknown = await post(TEMPLATES, { key: "ticket.called", channel: "sms", locale: "en", body: "Go to {{desk:string}}" }, as);
    assertInvalidField(unknown, "body.body");
    assert.match(unknown.body.error.details.fields[0].message, /\{\{desk:string\}\} is unknown here; this event provides number:string, counter:string/);
    const illTyped = await put(`${TEMPLATES}turn_near:sms:fr/`, { body: "Plus que {{position:string}} personnes" }, as);
    assertInvalidField(illTyped, "body.body");
    assert.match(illTyped.body.error.details.fields[0].message, /must be \{\{position:number\}\}/);
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "sms", locale: "fr", body: "Bonjour {{name}}" }, as), "body.body");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "sms", locale: "fr", body: "Le {{day:date}}" }, as), "body.body");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "push", locale: "fr", subject: "{{n:number}}", body: "{{n:string}}" }, as), "body.body");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "email", locale: "fr", body: "Sans objet" }, as), "body.subject");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "sms", locale: "fr", subject: "Objet", body: "x" }, as), "body.subject");
    assertInvalidField(await post(TEMPLATES, { key: "Not A Key", channel: "sms", locale: "fr", body: "x" }, as), "body.key");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "fax", locale: "fr", body: "x" }, as), "body.channel");
    assertInvalidField(await post(TEMPLATES, { key: aTemplateKey(), channel: "sms", locale: "de", body: "x" }, as), "body.locale");
    assertInvalidField(await get(`${TEMPLATES}?channel=fax`, as), "query.channel");
    await assertRefusesBadBodies("POST", TEMPLATES, admin.access);
    await assertRefusesBadBodies("PUT", `${TEMPLATES}turn_near:sms:fr/`, admin.access);
    assertError(await put(`${TEMPLATES}no.such:sms:fr/`, { body: "x" }, as), 404, "not_found");
    assert.equal((await get(`${TEMPLATES}turn_near:sms:fr/`, as)).body.built_in, true, "a refused change changes nothing");
  });

  it("refuses citizens reading templates and anyone but the platform admin writing them", async () => {
    const citizen = await aCitizen();
    const { org, admin: orgAdmin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    assertError(await get(TEMPLATES), 401, "not_authenticated");
    assertError(await get(TEMPLATES, { token: citizen.access }), 403, "forbidden");
    assertError(await get(`${TEMPLATES}ticket.called:sms:fr/`, { token: citizen.access }), 403, "forbidden");
    for (const who of [citizen, orgAdmin, agent]) {
      assertError(await post(TEMPLATES, { key: aTemplateKey(), channel: "sms", locale: "fr", body: "x" }, { token: who.access }), 403, "forbidden");
      assertError(await put(`${TEMPLATES}ticket.called:sms:fr/`, { body: "x" }, { token: who.access }), 403, "forbidden");
    }
  });
});
