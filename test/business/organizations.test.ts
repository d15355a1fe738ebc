import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, anOrganization, aPlatformAdmin, aService, aStaffMember } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";

const ORGS = "/api/business/organizations/";
const org = (id: string) => `${ORGS}${id}/`;

describe("/api/business/organizations/", () => {
  it("lets a platform admin create an organisation, answered 201 with its location", async () => {
    const admin = await aPlatformAdmin();
    const reply = await post(ORGS, { name: "Banque de Dakar", type: "bank", email: "contact@bdk.sn" }, { token: admin.access });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get("location"), org(reply.body.id));
    assert.deepEqual(
      { name: reply.body.name, type: reply.body.type, email: reply.body.email, is_active: reply.body.is_active },
      { name: "Banque de Dakar", type: "bank", email: "contact@bdk.sn", is_active: true },
    );
    assert.equal((await get(org(reply.body.id), { token: admin.access })).body.name, "Banque de Dakar");
  });

  it("refuses citizens, agents and org admins creating organisations", async () => {
    const { org: own, admin } = await anAdministeredOrganization();
    for (const who of [await aCitizen(), await anAgent(own.id), admin]) {
      assertError(await post(ORGS, { name: "X", type: "bank" }, { token: who.access }), 403, "forbidden");
    }
  });

  it("rejects wrong types, missing and unknown fields, malformed and oversized bodies", async () => {
    const admin = await aPlatformAdmin();
    const as = { token: admin.access };
    assertInvalidField(await post(ORGS, { name: 12, type: "bank" }, as), "body.name");
    assertInvalidField(await post(ORGS, { name: "X", type: "casino" }, as), "body.type");
    assertInvalidField(await post(ORGS, { type: "bank" }, as), "body.name");
    assertInvalidField(await post(ORGS, { name: "X", type: "bank", owner: "me" }, as), "body");
    assertInvalidField(await post(ORGS, { name: "X", type: "bank", website: "not a url" }, as), "body.website");
    await assertRefusesBadBodies("POST", ORGS, admin.access);
  });

  it("answers anonymous calls with 401", async () => {
    const target = await anOrganization();
    assertError(await get(ORGS), 401, "not_authenticated");
    assertError(await get(org(target.id)), 401, "not_authenticated");
    assertError(await post(ORGS, { name: "X", type: "bank" }), 401, "not_authenticated");
    assertError(await put(org(target.id), { name: "Y" }), 401, "not_authenticated");
    assertError(await del(org(target.id)), 401, "not_authenticated");
  });

  it("lists, searches, filters, orders and paginates like DRF", async () => {
    const admin = await aPlatformAdmin();
    const stamp = `Hôpital-${Date.now()}`;
    for (const n of [1, 2, 3]) await anOrganization(admin, { name: `${stamp} ${n}`, type: "hospital" });
    const as = { token: admin.access };
    const first = await get(`${ORGS}?search=${encodeURIComponent(stamp)}&page_size=2&ordering=-name`, as);
    assertPage(first, 3, 2);
    assert.deepEqual(first.body.results.map((o: { name: string }) => o.name), [`${stamp} 3`, `${stamp} 2`]);
    assert.equal(first.body.previous, null);
    assert.match(first.body.next, /page=2/);
    const second = await get(new URL(first.body.next).pathname + new URL(first.body.next).search, as);
    assertPage(second, 3, 1);
    assert.equal(second.body.next, null);
    assert.ok((await get(`${ORGS}?type=hospital&page_size=100`, as)).body.results.every((o: { type: string }) => o.type === "hospital"));
    assertError(await get(`${ORGS}?search=${encodeURIComponent(stamp)}&page=9`, as), 404, "not_found");
    assertInvalidField(await get(`${ORGS}?page_size=101`, as), "query.page_size");
    assertInvalidField(await get(`${ORGS}?ordering=password`, as), "query.ordering");
  });

  it("lets citizens read the catalogue of organisations", async () => {
    const target = await anOrganization();
    const citizen = await aCitizen();
    assert.equal((await get(org(target.id), { token: citizen.access })).body.id, target.id);
    assert.equal((await get(ORGS, { token: citizen.access })).status, 200);
  });

  it("lets an org admin update their own organisation", async () => {
    const { org: own, admin } = await anAdministeredOrganization();
    const reply = await put(org(own.id), { description: "Agences à Dakar et Thiès", phone: "+221338000000" }, { token: admin.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.description, "Agences à Dakar et Thiès");
    assert.equal(reply.body.name, own.name, "a partial update keeps the other fields");
  });

  it("refuses another organisation's admin or an agent changing it, and changes nothing", async () => {
    const target = await anOrganization();
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    const agent = await anAgent(target.id);
    assertError(await put(org(target.id), { name: "Hijacked" }, { token: foreignAdmin.access }), 403, "forbidden");
    assertError(await put(org(target.id), { name: "Hijacked" }, { token: agent.access }), 403, "forbidden");
    assertError(await del(org(target.id), { token: foreignAdmin.access }), 403, "forbidden");
    assert.equal((await get(org(target.id), { token: agent.access })).body.name, target.name);
  });

  it("rejects bad update input", async () => {
    const { org: own, admin } = await anAdministeredOrganization();
    assertInvalidField(await put(org(own.id), { is_active: "yes" }, { token: admin.access }), "body.is_active");
    assertInvalidField(await put(org(own.id), { name: "" }, { token: admin.access }), "body.name");
    await assertRefusesBadBodies("PUT", org(own.id), admin.access);
  });

  it("answers 404 for unknown and malformed ids", async () => {
    const admin = await aPlatformAdmin();
    assertError(await get(org("0123456789abcdef01234567"), { token: admin.access }), 404, "not_found");
    assertError(await get(org("nope"), { token: admin.access }), 404, "not_found");
    assertError(await put(org("nope"), { name: "X" }, { token: admin.access }), 404, "not_found");
    assertError(await del(org("nope"), { token: admin.access }), 404, "not_found");
  });

  it("deletes an empty organisation, but refuses one with branches, services or staff (409)", async () => {
    const admin = await aPlatformAdmin();
    const empty = await anOrganization(admin);
    assert.equal((await del(org(empty.id), { token: admin.access })).status, 204);
    assertError(await get(org(empty.id), { token: admin.access }), 404, "not_found");

    const { org: busy, admin: orgAdmin } = await anAdministeredOrganization();
    assertError(await del(org(busy.id), { token: admin.access }), 409, "conflict");
    const withBranch = await anOrganization(admin);
    await aBranch(admin, withBranch.id);
    assertError(await del(org(withBranch.id), { token: admin.access }), 409, "conflict");
    const withService = await anOrganization(admin);
    await aService(admin, withService.id);
    assertError(await del(org(withService.id), { token: admin.access }), 409, "conflict");
    assert.equal((await get(org(busy.id), { token: orgAdmin.access })).status, 200);
  });

  it("refuses an org admin deleting even their own organisation", async () => {
    const own = await anOrganization();
    const admin = await aStaffMember("org_admin", own.id);
    assertError(await del(org(own.id), { token: admin.access }), 403, "forbidden");
  });
});
