import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin, aService } from "../support/fixtures.ts";
import { del, get, post, put } from "../support/http.ts";

const BRANCHES = "/api/business/branches/";
const branch = (id: string) => `${BRANCHES}${id}/`;

describe("/api/business/branches/", () => {
  it("creates a branch with Monday–Friday 9–17 hours in Africa/Dakar by default", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const created = await aBranch(admin, org.id, { address: "Avenue Léopold Sédar Senghor", commune: "Dakar-Plateau", latitude: 14.6708, longitude: -17.4381 });
    assert.equal(created.time_zone, "Africa/Dakar");
    assert.deepEqual(created.opening_hours.monday, [{ open: "09:00", close: "17:00" }]);
    assert.deepEqual(created.opening_hours.sunday, []);
    assert.equal(created.commune, "Dakar-Plateau");
    assert.equal((await get(branch(created.id), { token: admin.access })).body.latitude, 14.6708);
  });

  it("keeps opening hours per weekday, holidays and a time zone as given", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const created = await aBranch(admin, org.id, {
      opening_hours: { monday: [{ open: "08:00", close: "12:30" }, { open: "14:00", close: "17:00" }], saturday: [{ open: "09:00", close: "12:00" }] },
      holidays: ["2026-12-25", "2026-04-04", "2026-12-25"],
      time_zone: "Africa/Abidjan",
    });
    assert.equal(created.opening_hours.monday.length, 2);
    assert.deepEqual(created.opening_hours.tuesday, []);
    assert.deepEqual(created.holidays, ["2026-04-04", "2026-12-25"]);
    assert.equal(created.time_zone, "Africa/Abidjan");
  });

  it("rejects bad hours, dates, coordinates, zones, unknown fields and bodies", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const as = { token: admin.access };
    const base = { organization_id: org.id, name: "B" };
    assertInvalidField(await post(BRANCHES, { ...base, opening_hours: { monday: [{ open: "17:00", close: "09:00" }] } }, as), "body.opening_hours.monday.0.close");
    assertInvalidField(await post(BRANCHES, { ...base, opening_hours: { monday: [{ open: "9h", close: "17:00" }] } }, as), "body.opening_hours.monday.0.open");
    assertInvalidField(await post(BRANCHES, { ...base, opening_hours: { monday: [{ open: "09:00", close: "12:00" }, { open: "11:00", close: "13:00" }] } }, as), "body.opening_hours.monday");
    assertInvalidField(await post(BRANCHES, { ...base, opening_hours: { funday: [] } }, as), "body.opening_hours");
    assertInvalidField(await post(BRANCHES, { ...base, holidays: ["2026-02-30"] }, as), "body.holidays.0");
    assertInvalidField(await post(BRANCHES, { ...base, latitude: 91 }, as), "body.latitude");
    assertInvalidField(await post(BRANCHES, { ...base, time_zone: "Mars/Olympus" }, as), "body.time_zone");
    assertInvalidField(await post(BRANCHES, { organization_id: org.id }, as), "body.name");
    assertInvalidField(await post(BRANCHES, { ...base, organization_id: "abc" }, as), "body.organization_id");
    const unknownOrg = { ...base, organization_id: "0123456789abcdef01234567" };
    assertInvalidField(await post(BRANCHES, unknownOrg, { token: (await aPlatformAdmin()).access }), "body.organization_id");
    await assertRefusesBadBodies("POST", BRANCHES, admin.access);
  });

  it("refuses creating a branch in another organisation or as an agent or citizen", async () => {
    const { org } = await anAdministeredOrganization();
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    for (const who of [foreignAdmin, await anAgent(org.id), await aCitizen()]) {
      assertError(await post(BRANCHES, { organization_id: org.id, name: "B" }, { token: who.access }), 403, "forbidden");
    }
    assert.equal((await get(`${BRANCHES}?organization_id=${org.id}`, { token: foreignAdmin.access })).body.count, 0);
  });

  it("answers anonymous calls with 401", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const created = await aBranch(admin, org.id);
    assertError(await get(BRANCHES), 401, "not_authenticated");
    assertError(await get(branch(created.id)), 401, "not_authenticated");
    assertError(await post(BRANCHES, { organization_id: org.id, name: "B" }), 401, "not_authenticated");
    assertError(await put(branch(created.id), { name: "C" }), 401, "not_authenticated");
    assertError(await del(branch(created.id)), 401, "not_authenticated");
  });

  it("updates a branch partially; another organisation's admin changes nothing", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const created = await aBranch(admin, org.id, { commune: "Pikine" });
    const reply = await put(branch(created.id), { holidays: ["2026-12-25"], name: "Agence Pikine" }, { token: admin.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.commune, "Pikine");
    assert.deepEqual(reply.body.holidays, ["2026-12-25"]);
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    assertError(await put(branch(created.id), { name: "Hijacked" }, { token: foreignAdmin.access }), 403, "forbidden");
    assertError(await del(branch(created.id), { token: foreignAdmin.access }), 403, "forbidden");
    assertInvalidField(await put(branch(created.id), { organization_id: org.id }, { token: admin.access }), "body");
    await assertRefusesBadBodies("PUT", branch(created.id), admin.access);
    assert.equal((await get(branch(created.id), { token: admin.access })).body.name, "Agence Pikine");
  });

  it("lists branches by organisation and commune, paginated", async () => {
    const { org, admin } = await anAdministeredOrganization();
    for (const commune of ["Rufisque", "Rufisque", "Thiès"]) await aBranch(admin, org.id, { commune, name: `Agence ${commune}` });
    const as = { token: admin.access };
    assertPage(await get(`${BRANCHES}?organization_id=${org.id}&page_size=2`, as), 3, 2);
    assertPage(await get(`${BRANCHES}?organization_id=${org.id}&commune=Rufisque`, as), 2, 2);
    assertPage(await get(`${BRANCHES}?organization_id=${org.id}&search=thi`, as), 1, 1);
    assertInvalidField(await get(`${BRANCHES}?colour=red`, as), "query");
  });

  it("deletes an unused branch, and refuses one that services still use (409)", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const used = await aBranch(admin, org.id);
    await aService(admin, org.id, { branch_id: used.id });
    assertError(await del(branch(used.id), { token: admin.access }), 409, "conflict");
    const unused = await aBranch(admin, org.id);
    assert.equal((await del(branch(unused.id), { token: admin.access })).status, 204);
    assertError(await get(branch(unused.id), { token: admin.access }), 404, "not_found");
  });
});
