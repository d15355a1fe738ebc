import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin } from "../support/fixtures.ts";
import { del, get, post } from "../support/http.ts";
import { aDisplayToken, DISPLAY_TOKENS } from "./live-fixtures.ts";

const displayToken = (id: string) => `${DISPLAY_TOKENS}${id}/`;
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe("/api/accounts/display-tokens/", () => {
  it("issues a year-long token for a branch of the admin's organisation, lists it without the secret, and revokes it", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const issued = await aDisplayToken(admin, branch.id, "Écran accueil");
    assert.deepEqual([issued.branch_id, issued.organization_id, issued.name], [branch.id, org.id, "Écran accueil"]);
    assert.equal(typeof issued.token, "string");
    assert.ok(Math.abs(Date.parse(issued.expires_at) - Date.now() - YEAR_MS) < 60_000, issued.expires_at);
    const listed = await get(DISPLAY_TOKENS, { token: admin.access });
    assertPage(listed, 1, 1);
    assert.equal(listed.body.results[0].id, issued.id);
    assert.ok(!("token" in listed.body.results[0]));
    assert.equal((await del(displayToken(issued.id), { token: admin.access })).status, 204);
    assertPage(await get(DISPLAY_TOKENS, { token: admin.access }), 0, 0);
    assertError(await del(displayToken(issued.id), { token: admin.access }), 404, "not_found");
  });

  it("lets a platform admin issue for any branch", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    assert.equal((await aDisplayToken(await aPlatformAdmin(), branch.id)).organization_id, org.id);
  });

  it("is no access token: the REST API refuses it", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const issued = await aDisplayToken(admin, (await aBranch(admin, org.id)).id);
    assertError(await get("/api/accounts/users/me/", { token: issued.token }), 401, "token_invalid");
    assertError(await get(DISPLAY_TOKENS, { token: issued.token }), 401, "token_invalid");
  });

  it("rejects missing, malformed and unknown fields, unknown branches, bad bodies", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const as = { token: admin.access };
    assertInvalidField(await post(DISPLAY_TOKENS, { branch_id: branch.id }, as), "body.name");
    assertInvalidField(await post(DISPLAY_TOKENS, { branch_id: branch.id, name: "  " }, as), "body.name");
    assertInvalidField(await post(DISPLAY_TOKENS, { branch_id: "nope", name: "TV" }, as), "body.branch_id");
    assertInvalidField(await post(DISPLAY_TOKENS, { branch_id: "0123456789abcdef01234567", name: "TV" }, as), "body.branch_id");
    assertInvalidField(await post(DISPLAY_TOKENS, { branch_id: branch.id, name: "TV", role: "org_admin" }, as), "body");
    assertInvalidField(await get(`${DISPLAY_TOKENS}?page_size=500`, as), "query.page_size");
    await assertRefusesBadBodies("POST", DISPLAY_TOKENS, admin.access);
  });

  it("keeps each organisation to its own tokens", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const mine = await aDisplayToken(admin, branch.id);
    const other = await anAdministeredOrganization();
    assertError(await post(DISPLAY_TOKENS, { branch_id: branch.id, name: "TV" }, { token: other.admin.access }), 403, "forbidden");
    assertError(await del(displayToken(mine.id), { token: other.admin.access }), 404, "not_found");
    await aDisplayToken(other.admin, (await aBranch(other.admin, other.org.id)).id);
    const theirs = await get(DISPLAY_TOKENS, { token: other.admin.access });
    assertPage(theirs, 1, 1);
    assert.notEqual(theirs.body.results[0].id, mine.id);
    assertPage(await get(`${DISPLAY_TOKENS}?organization_id=${org.id}`, { token: other.admin.access }), 1, 1);
  });

  it("refuses agents and citizens, and answers anonymous calls with 401", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const issued = await aDisplayToken(admin, branch.id);
    for (const who of [await anAgent(org.id), await aCitizen()]) {
      assertError(await post(DISPLAY_TOKENS, { branch_id: branch.id, name: "TV" }, { token: who.access }), 403, "forbidden");
      assertError(await get(DISPLAY_TOKENS, { token: who.access }), 403, "forbidden");
      assertError(await del(displayToken(issued.id), { token: who.access }), 403, "forbidden");
    }
    assertError(await post(DISPLAY_TOKENS, { branch_id: branch.id, name: "TV" }), 401, "not_authenticated");
    assertError(await get(DISPLAY_TOKENS), 401, "not_authenticated");
    assertError(await del(displayToken(issued.id)), 401, "not_authenticated");
  });

  it("paginates and filters by branch", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const hall = await aBranch(admin, org.id, { name: "Agence Plateau" });
    const annex = await aBranch(admin, org.id, { name: "Agence Médina" });
    for (const name of ["TV 1", "TV 2", "TV 3"]) await aDisplayToken(admin, hall.id, name);
    await aDisplayToken(admin, annex.id, "TV annexe");
    const as = { token: admin.access };
    const first = await get(`${DISPLAY_TOKENS}?page_size=3&ordering=name`, as);
    assertPage(first, 4, 3);
    assert.deepEqual(first.body.results.map((t: { name: string }) => t.name), ["TV 1", "TV 2", "TV 3"]);
    assert.ok(first.body.next.includes("page=2"));
    assertPage(await get(`${DISPLAY_TOKENS}?page=2&page_size=3`, as), 4, 1);
    assertPage(await get(`${DISPLAY_TOKENS}?branch_id=${annex.id}`, as), 1, 1);
    assertPage(await get(`${DISPLAY_TOKENS}?search=annexe`, as), 1, 1);
  });
});
