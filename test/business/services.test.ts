import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aService } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";

const SERVICES = "/api/business/services/";
const service = (id: string) => `${SERVICES}${id}/`;
const orgServices = (orgId: string) => `/api/business/organizations/${orgId}/services/`;

describe("/api/business/services/", () => {
  it("creates a service with French and English names, duration, fee in XOF and appointment defaults", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const created = await aService(admin, org.id, { fee_xof: 2500, appointments_enabled: true });
    assert.deepEqual(
      [created.name_fr, created.name_en, created.expected_duration_minutes, created.fee_xof, created.appointments_enabled],
      ["Dépôt", "Deposit", 10, 2500, true],
    );
    assert.deepEqual([created.slot_minutes, created.slot_capacity, created.branch_id, created.opening_hours], [30, 1, null, null]);
    assert.equal((await get(service(created.id), { token: (await aCitizen()).access })).body.fee_xof, 2500);
  });

  it("places a service in a branch of its own organisation only", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const own = await aBranch(admin, org.id);
    assert.equal((await aService(admin, org.id, { branch_id: own.id })).branch_id, own.id);
    const other = await anAdministeredOrganization();
    const foreign = await aBranch(other.admin, other.org.id);
    const reply = await post(SERVICES, { organization_id: org.id, name_fr: "X", expected_duration_minutes: 5, branch_id: foreign.id }, { token: admin.access });
    assertInvalidField(reply, "body.branch_id");
  });

  it("rejects wrong types, missing and unknown fields, malformed and oversized bodies", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const as = { token: admin.access };
    const base = { organization_id: org.id, name_fr: "Retrait", expected_duration_minutes: 5 };
    assertInvalidField(await post(SERVICES, { ...base, fee_xof: 12.5 }, as), "body.fee_xof");
    assertInvalidField(await post(SERVICES, { ...base, fee_xof: -1 }, as), "body.fee_xof");
    assertInvalidField(await post(SERVICES, { ...base, expected_duration_minutes: "5" }, as), "body.expected_duration_minutes");
    assertInvalidField(await post(SERVICES, { organization_id: org.id, expected_duration_minutes: 5 }, as), "body.name_fr");
    assertInvalidField(await post(SERVICES, { ...base, price: 3 }, as), "body");
    assertInvalidField(await post(SERVICES, { ...base, appointments_enabled: "yes" }, as), "body.appointments_enabled");
    await assertRefusesBadBodies("POST", SERVICES, admin.access);
  });

  it("refuses creating, changing or deleting another organisation's services, and changes nothing", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const target = await aService(admin, org.id);
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    for (const who of [foreignAdmin, agent, await aCitizen()]) {
      assertError(await post(SERVICES, { organization_id: org.id, name_fr: "X", expected_duration_minutes: 5 }, { token: who.access }), 403, "forbidden");
      assertError(await put(service(target.id), { fee_xof: 1 }, { token: who.access }), 403, "forbidden");
      assertError(await del(service(target.id), { token: who.access }), 403, "forbidden");
    }
    assert.equal((await get(service(target.id), { token: admin.access })).body.fee_xof, 0);
  });

  it("answers anonymous calls with 401", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const target = await aService(admin, org.id);
    assertError(await get(SERVICES), 401, "not_authenticated");
    assertError(await get(service(target.id)), 401, "not_authenticated");
    assertError(await post(SERVICES, { organization_id: org.id, name_fr: "X", expected_duration_minutes: 5 }), 401, "not_authenticated");
    assertError(await put(service(target.id), { fee_xof: 1 }), 401, "not_authenticated");
    assertError(await del(service(target.id)), 401, "not_authenticated");
    assertError(await get(orgServices(org.id)), 401, "not_authenticated");
  });

  it("updates partially, keeps the organisation, and deletes", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const target = await aService(admin, org.id);
    const as = { token: admin.access };
    const reply = await put(service(target.id), { fee_xof: 1000, opening_hours: { friday: [{ open: "09:00", close: "12:00" }] } }, as);
    assert.equal(reply.status, 200);
    assert.deepEqual([reply.body.fee_xof, reply.body.name_fr], [1000, "Dépôt"]);
    assert.deepEqual(reply.body.opening_hours.friday, [{ open: "09:00", close: "12:00" }]);
    assertInvalidField(await put(service(target.id), { organization_id: org.id }, as), "body");
    assertInvalidField(await put(service(target.id), { slot_capacity: 0 }, as), "body.slot_capacity");
    await assertRefusesBadBodies("PUT", service(target.id), admin.access);
    assert.equal((await del(service(target.id), as)).status, 204);
    assertError(await get(service(target.id), as), 404, "not_found");
    assertError(await del(service(target.id), as), 404, "not_found");
  });

  it("lists services with filters, search and pagination", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const site = await aBranch(admin, org.id);
    await aService(admin, org.id, { name_fr: "Ouverture de compte", appointments_enabled: true, branch_id: site.id });
    await aService(admin, org.id, { name_fr: "Retrait" });
    await aService(admin, org.id, { name_fr: "Virement", appointments_enabled: true });
    const as = { token: admin.access };
    assertPage(await get(`${SERVICES}?organization_id=${org.id}&page_size=2`, as), 3, 2);
    assertPage(await get(`${SERVICES}?organization_id=${org.id}&appointments_enabled=true`, as), 2, 2);
    assertPage(await get(`${SERVICES}?organization_id=${org.id}&branch_id=${site.id}`, as), 1, 1);
    const searched = await get(`${SERVICES}?organization_id=${org.id}&search=retr`, as);
    assertPage(searched, 1, 1);
    assert.equal(searched.body.results[0].name_fr, "Retrait");
    assertInvalidField(await get(`${SERVICES}?appointments_enabled=maybe`, as), "query.appointments_enabled");
  });
});

describe("/api/business/organizations/{id}/services/", () => {
  it("lists one organisation's services only, paginated", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const other = await anAdministeredOrganization();
    for (const name_fr of ["A", "B", "C"]) await aService(admin, org.id, { name_fr });
    await aService(other.admin, other.org.id);
    const citizen = await aCitizen();
    const first = await get(`${orgServices(org.id)}?page_size=2&ordering=name_fr`, { token: citizen.access });
    assertPage(first, 3, 2);
    assert.deepEqual(first.body.results.map((s: { name_fr: string }) => s.name_fr), ["A", "B"]);
    assert.ok(first.body.results.every((s: { organization_id: string }) => s.organization_id === org.id));
    assertPage(await get(`${orgServices(org.id)}?page=2&page_size=2`, { token: citizen.access }), 3, 1);
  });

  it("answers 404 for an unknown organisation and 400 for bad filters", async () => {
    const citizen = await aCitizen();
    assertError(await get(orgServices("0123456789abcdef01234567"), { token: citizen.access }), 404, "not_found");
    const { org } = await anAdministeredOrganization();
    assertInvalidField(await get(`${orgServices(org.id)}?page=0`, { token: citizen.access }), "query.page");
  });
});
