import assert from "node:assert/strict";
import { assertError, assertInvalidField, assertPage } from "../support/assertions.ts";
import { aCitizen, anAgent, anOrganization, anOrgAdmin, aPhone, aPlatformAdmin, login, PASSWORD } from "../support/fixtures.ts";
import { del, get, patch, post, put } from "../support/http.ts";

const ME = "/api/accounts/users/me/";
const USERS = "/api/accounts/users/";
const user = (id: string) => `/api/accounts/users/${id}/`;

describe("/api/accounts/users/me/", () => {
  it("shows the caller's profile", async () => {
    const citizen = await aCitizen({ first_name: "Moussa" });
    const reply = await get(ME, { token: citizen.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.first_name, "Moussa");
  });

  it("updates names, e-mail and locale with PATCH", async () => {
    const citizen = await aCitizen();
    const reply = await patch(ME, { last_name: "Ndiaye", locale: "wo", email: `me-${aPhone().slice(-7)}@example.sn` }, { token: citizen.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.last_name, "Ndiaye");
    assert.equal(reply.body.locale, "wo");
    assert.equal((await get(ME, { token: citizen.access })).body.locale, "wo");
  });

  it("moves the e-mail: the old one is free again and the new one logs in", async () => {
    const stamp = aPhone().slice(-7);
    const citizen = await aCitizen({ email: `old-${stamp}@example.sn` });
    await patch(ME, { email: `new-${stamp}@example.sn` }, { token: citizen.access });
    assert.equal((await post("/api/accounts/auth/login/", { email: `new-${stamp}@example.sn`, password: PASSWORD })).status, 200);
    assert.equal((await aCitizen({ email: `old-${stamp}@example.sn` })).user.email, `old-${stamp}@example.sn`);
  });

  it("ends every other session when the password changes, and gives this one new tokens", async () => {
    const citizen = await aCitizen();
    const phone = await login(citizen.user.phone, PASSWORD);
    assert.equal((await get(ME, { token: phone.access })).status, 200);
    const changed = await patch(ME, { password: "N3w-password", current_password: PASSWORD }, { token: citizen.access });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.session_epoch, undefined);
    for (const old of [citizen, phone]) {
      assertError(await get(ME, { token: old.access }), 401, "token_invalid");
      assertError(await post("/api/accounts/auth/refresh/", { refresh: old.refresh }), 401, "token_invalid");
    }
    assert.equal((await get(ME, { token: changed.body.access })).body.id, citizen.user.id);
    const rotated = await post("/api/accounts/auth/refresh/", { refresh: changed.body.refresh });
    assert.equal((await get(ME, { token: rotated.body.access })).status, 200);
  });

  it("changes the password only with the current one", async () => {
    const citizen = await aCitizen();
    assertInvalidField(await patch(ME, { password: "N3w-password" }, { token: citizen.access }), "body.current_password");
    assertError(await patch(ME, { password: "N3w-password", current_password: "wrong-1" }, { token: citizen.access }), 401, "bad_credentials");
    assert.equal((await patch(ME, { password: "N3w-password", current_password: PASSWORD }, { token: citizen.access })).status, 200);
    assert.equal((await login(citizen.user.phone, "N3w-password")).user.id, citizen.user.id);
  });

  it("refuses to let a citizen change their own role", async () => {
    const citizen = await aCitizen();
    assertInvalidField(await patch(ME, { role: "platform_admin" }, { token: citizen.access }), "body");
    assertError(await put(user(citizen.user.id), { role: "platform_admin" }, { token: citizen.access }), 403, "forbidden");
    assert.equal((await get(ME, { token: citizen.access })).body.role, "citizen");
  });

  it("rejects bad input and anonymous calls", async () => {
    const citizen = await aCitizen();
    assertInvalidField(await patch(ME, { locale: 3 }, { token: citizen.access }), "body.locale");
    assertError(await get(ME), 401, "not_authenticated");
    assertError(await patch(ME, { first_name: "X" }), 401, "not_authenticated");
  });
});

describe("/api/accounts/users/ (staff management)", () => {
  it("lets a platform admin create an org admin, who creates agents of their organisation", async () => {
    const org = await anOrganization();
    const orgAdmin = await anOrgAdmin(org.id);
    assert.equal(orgAdmin.user.organization_id, org.id);
    const reply = await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent" }, { token: orgAdmin.access });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.organization_id, org.id);
    assert.equal(reply.headers.get("location"), user(reply.body.id));
  });

  it("refuses an org admin creating anything but an agent of their own organisation", async () => {
    const [org, other] = [await anOrganization(), await anOrganization()];
    const orgAdmin = await anOrgAdmin(org.id);
    const asAdmin = { token: orgAdmin.access };
    assertError(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "org_admin" }, asAdmin), 403, "forbidden");
    assertError(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent", organization_id: other.id }, asAdmin), 403, "forbidden");
  });

  it("refuses citizens and agents creating users", async () => {
    const org = await anOrganization();
    for (const who of [await aCitizen(), await anAgent(org.id)]) {
      assertError(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent" }, { token: who.access }), 403, "forbidden");
    }
    assertError(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent" }), 401, "not_authenticated");
  });

  it("checks the organisation of staff accounts", async () => {
    const admin = await aPlatformAdmin();
    assertInvalidField(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent" }, { token: admin.access }), "body.organization_id");
    assertInvalidField(
      await post(USERS, { phone: aPhone(), password: PASSWORD, role: "agent", organization_id: "0123456789abcdef01234567" }, { token: admin.access }),
      "body.organization_id",
    );
    assertInvalidField(await post(USERS, { phone: aPhone(), password: PASSWORD, role: "root" }, { token: admin.access }), "body.role");
  });

  it("lists only the org admin's own agents, paginated", async () => {
    const [org, other] = [await anOrganization(), await anOrganization()];
    const orgAdmin = await anOrgAdmin(org.id);
    for (let i = 0; i < 3; i++) await anAgent(org.id);
    await anAgent(other.id);
    const first = await get(`${USERS}?page_size=2&ordering=phone`, { token: orgAdmin.access });
    assertPage(first, 3, 2);
    assert.ok(first.body.next.includes("page=2"));
    assert.ok(first.body.results.every((u: { organization_id: string }) => u.organization_id === org.id));
    assertPage(await get(first.body.next.replace(/^https?:\/\/[^/]+/, ""), { token: orgAdmin.access }), 3, 1);
    assertError(await get(`${USERS}?page=3&page_size=2`, { token: orgAdmin.access }), 404, "not_found");
  });

  it("lets a platform admin filter users by organisation and search them", async () => {
    const admin = await aPlatformAdmin();
    const org = await anOrganization(admin);
    const agent = await anAgent(org.id);
    const reply = await get(`${USERS}?organization_id=${org.id}&search=${agent.user.phone.slice(-6)}`, { token: admin.access });
    assertPage(reply, 1, 1);
    assert.equal(reply.body.results[0].id, agent.user.id);
  });

  it("rejects bad list parameters", async () => {
    const admin = await aPlatformAdmin();
    assertInvalidField(await get(`${USERS}?page_size=101`, { token: admin.access }), "query.page_size");
    assertInvalidField(await get(`${USERS}?ordering=password_hash`, { token: admin.access }), "query.ordering");
    assertInvalidField(await get(`${USERS}?page=zero`, { token: admin.access }), "query.page");
    assertError(await get(USERS, { token: (await aCitizen()).access }), 403, "forbidden");
  });
});

describe("/api/accounts/users/{id}/", () => {
  it("shows a user to themselves, their org admin and a platform admin", async () => {
    const org = await anOrganization();
    const agent = await anAgent(org.id);
    for (const viewer of [agent, await anOrgAdmin(org.id), await aPlatformAdmin()]) {
      const reply = await get(user(agent.user.id), { token: viewer.access });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.id, agent.user.id);
    }
  });

  it("hides a user from another organisation's admin, other citizens and anonymous callers", async () => {
    const [org, other] = [await anOrganization(), await anOrganization()];
    const agent = await anAgent(org.id);
    const citizen = await aCitizen();
    assertError(await get(user(agent.user.id), { token: (await anOrgAdmin(other.id)).access }), 404, "not_found");
    assertError(await get(user(citizen.user.id), { token: (await aCitizen()).access }), 404, "not_found");
    assertError(await get(user(citizen.user.id)), 401, "not_authenticated");
  });

  it("answers 404 for malformed and unknown ids", async () => {
    const admin = await aPlatformAdmin();
    assertError(await get(user("not-an-id"), { token: admin.access }), 404, "not_found");
    assertError(await get(user("0123456789abcdef01234567"), { token: admin.access }), 404, "not_found");
  });

  it("ends every session of an agent whose password an admin changed", async () => {
    const org = await anOrganization();
    const agent = await anAgent(org.id);
    const orgAdmin = await anOrgAdmin(org.id);
    assert.equal((await put(user(agent.user.id), { password: "R3set-by-admin" }, { token: orgAdmin.access })).status, 200);
    assertError(await get(ME, { token: agent.access }), 401, "token_invalid");
    assertError(await post("/api/accounts/auth/refresh/", { refresh: agent.refresh }), 401, "token_invalid");
    const again = await login(agent.user.phone, "R3set-by-admin");
    assert.equal((await get(ME, { token: again.access })).status, 200);
    // Not a way round the current password for oneself.
    assertError(await put(user(again.user.id), { password: "S3lf-no-check" }, { token: again.access }), 403, "forbidden");
  });

  it("lets an org admin update and deactivate their agent; the agent can no longer log in", async () => {
    const org = await anOrganization();
    const agent = await anAgent(org.id);
    const orgAdmin = await anOrgAdmin(org.id);
    const reply = await put(user(agent.user.id), { first_name: "Fatou", is_active: false }, { token: orgAdmin.access });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.is_active, false);
    assertError(await get(ME, { token: agent.access }), 401, "token_invalid");
    assertError(await post("/api/accounts/auth/login/", { phone: agent.user.phone, password: PASSWORD }), 401, "bad_credentials");
  });

  it("refuses an org admin moving their agent to another role or organisation", async () => {
    const [org, other] = [await anOrganization(), await anOrganization()];
    const agent = await anAgent(org.id);
    const orgAdmin = await anOrgAdmin(org.id);
    assertError(await put(user(agent.user.id), { role: "org_admin" }, { token: orgAdmin.access }), 403, "forbidden");
    assertError(await put(user(agent.user.id), { organization_id: other.id }, { token: orgAdmin.access }), 403, "forbidden");
    assert.equal((await get(user(agent.user.id), { token: orgAdmin.access })).body.role, "agent");
  });

  it("refuses another organisation's admin changing or deleting an agent, and changes nothing", async () => {
    const [org, other] = [await anOrganization(), await anOrganization()];
    const agent = await anAgent(org.id);
    const intruder = await anOrgAdmin(other.id);
    assertError(await put(user(agent.user.id), { first_name: "Hacked" }, { token: intruder.access }), 404, "not_found");
    assertError(await del(user(agent.user.id), { token: intruder.access }), 404, "not_found");
    const after = await get(user(agent.user.id), { token: agent.access });
    assert.equal(after.status, 200);
    assert.notEqual(after.body.first_name, "Hacked");
  });

  it("lets a platform admin promote a citizen to org admin of an organisation", async () => {
    const admin = await aPlatformAdmin();
    const org = await anOrganization(admin);
    const citizen = await aCitizen();
    const reply = await put(user(citizen.user.id), { role: "org_admin", organization_id: org.id }, { token: admin.access });
    assert.equal(reply.status, 200);
    assert.equal((await get(ME, { token: citizen.access })).body.role, "org_admin");
    assertInvalidField(await put(user(citizen.user.id), { role: "citizen" }, { token: admin.access }), "body.organization_id");
  });

  it("rejects bad update input", async () => {
    const citizen = await aCitizen();
    const url = user(citizen.user.id);
    assertInvalidField(await put(url, { is_active: "yes" }, { token: citizen.access }), "body.is_active");
    assertInvalidField(await put(url, { nickname: "x" }, { token: citizen.access }), "body");
    assertError(await put(url, { first_name: "X" }), 401, "not_authenticated");
  });

  it("deletes one's own account: tokens stop working and the phone can register again", async () => {
    const citizen = await aCitizen();
    assert.equal((await del(user(citizen.user.id), { token: citizen.access })).status, 204);
    assertError(await get(ME, { token: citizen.access }), 401, "token_invalid");
    assertError(await post("/api/accounts/auth/refresh/", { refresh: citizen.refresh }), 401, "token_invalid");
    assert.equal((await post("/api/accounts/auth/register/", { phone: citizen.user.phone, password: PASSWORD })).status, 201);
  });

  it("refuses deleting without a token", async () => {
    const citizen = await aCitizen();
    assertError(await del(user(citizen.user.id)), 401, "not_authenticated");
  });
});
