import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin, aService } from "../support/fixtures.ts";
import { get } from "../support/http.ts";

const ANALYTICS = "/api/business/analytics/";

describe("/api/business/analytics/", () => {
  it("gives an org admin the counts of their own organisation", async () => {
    const { org, admin } = await anAdministeredOrganization();
    await aBranch(admin, org.id);
    await aService(admin, org.id, { appointments_enabled: true });
    await aService(admin, org.id);
    await anAgent(org.id);
    const reply = await get(ANALYTICS, { token: admin.access });
    assert.equal(reply.status, 200);
    const { activity, ...counts } = reply.body;
    assert.deepEqual(counts, { organization_id: org.id, branches: 1, services: 2, services_with_appointments: 1, staff: 2 });
    assert.deepEqual([activity.today.issued, activity.last_7_days.issued, activity.last_7_days.date_to], [0, 0, new Date().toISOString().slice(0, 10)]);
  });

  it("gives a platform admin totals, or one organisation's counts on request", async () => {
    const admin = await aPlatformAdmin();
    const { org } = await anAdministeredOrganization();
    const totals = await get(ANALYTICS, { token: admin.access });
    assert.equal(totals.status, 200);
    assert.ok(totals.body.organizations >= 1 && totals.body.organizations_by_type.bank >= 1);
    assert.ok(totals.body.staff >= 1);
    assert.ok(totals.body.activity.last_7_days.issued >= 0);
    const one = await get(`${ANALYTICS}?organization_id=${org.id}`, { token: admin.access });
    const { activity: _, ...counts } = one.body;
    assert.deepEqual(counts, { organization_id: org.id, branches: 0, services: 0, services_with_appointments: 0, staff: 1 });
  });

  it("refuses citizens, agents, anonymous callers and another organisation's admin", async () => {
    const { org } = await anAdministeredOrganization();
    const { admin: foreignAdmin } = await anAdministeredOrganization();
    assertError(await get(ANALYTICS, { token: (await aCitizen()).access }), 403, "forbidden");
    assertError(await get(ANALYTICS, { token: (await anAgent(org.id)).access }), 403, "forbidden");
    assertError(await get(ANALYTICS), 401, "not_authenticated");
    assertError(await get(`${ANALYTICS}?organization_id=${org.id}`, { token: foreignAdmin.access }), 403, "forbidden");
  });

  it("rejects unknown query parameters", async () => {
    const admin = await aPlatformAdmin();
    assertInvalidField(await get(`${ANALYTICS}?organization_id=zz`, { token: admin.access }), "query.organization_id");
    assertInvalidField(await get(`${ANALYTICS}?period=week`, { token: admin.access }), "query");
  });
});
