// Staff's list of their organisation's payments, read from the rows under the organisation
// by creation (services/payments/organization-payments.ts): the window asked, the
// organisation's only, as the payments are now; the rows of a database from before written
// by the backfill.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { backfillPaymentRows } from "../../services/payments/citizen-payments.ts";
import { paymentsStore } from "../../services/payments/store.ts";
import { assertInvalidField, assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aStoredPayment } from "./stored-payment.ts";

const TRANSACTIONS = "/api/payments/transactions/";
const DAY = 86_400_000;
const store = () => paymentsStore(system().node.db);
const ids = (reply: { body: { results: Array<{ id: string }> } }) => reply.body.results.map((p) => p.id);

async function anOrganizationPaying() {
  const { org, admin } = await anAdministeredOrganization();
  const citizen = await aCitizen();
  const paid = (extra: Parameters<typeof aStoredPayment>[1] = {}, user_id = citizen.user.id) =>
    aStoredPayment({ organization_id: org.id, user_id, service_id: new Types.ObjectId().toHexString() }, extra);
  return { org, admin: { token: admin.access }, citizen, paid };
}

describe("an organisation's payments, for its staff", () => {
  it("lists those made in the window asked, newest first, as they are now, the organisation's only", async () => {
    const { org, admin, citizen, paid } = await anOrganizationPaying();
    const now = Date.now();
    const [older, wave, orange] = [await paid({ at: new Date(now - 10 * DAY) }), await paid({ at: new Date(now - 2 * DAY) }), await paid({ method: "orange_money", status: "failed", at: new Date(now - DAY) })];
    const other = await paid({}, new Types.ObjectId().toHexString());
    const foreign = await anOrganizationPaying();
    await foreign.paid();

    assert.deepEqual(ids(await get(TRANSACTIONS, admin)), [other.id, orange.id, wave.id], "the last 7 days by default");
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    assert.deepEqual(ids(await get(`${TRANSACTIONS}?date_from=${day(now - 12 * DAY)}&date_to=${day(now)}&ordering=created_at`, admin)), [older.id, wave.id, orange.id, other.id]);
    assert.deepEqual(ids(await get(`${TRANSACTIONS}?date_from=${day(now - 12 * DAY)}`, admin)), [older.id], "a bound alone spans 7 days");
    assert.deepEqual(ids(await get(`${TRANSACTIONS}?user_id=${citizen.user.id}&method=wave`, admin)), [wave.id]);
    const failed = await get(`${TRANSACTIONS}?status=failed`, admin);
    assert.deepEqual(failed.body.results.map((p: any) => [p.id, p.status]), [[orange.id, "failed"]]);
    assertPage(await get(`${TRANSACTIONS}?page_size=2&page=2`, admin), 3, 1);
    // Another organisation's staff, or this one's naming another, see none of them.
    assertPage(await get(TRANSACTIONS, { token: (await anAgent(foreign.org.id)).access }), 1, 1);
    assertPage(await get(`${TRANSACTIONS}?organization_id=${foreign.org.id}`, admin), 0, 0);
    // The platform admin names the organisation.
    const platform = { token: (await aPlatformAdmin()).access };
    assertInvalidField(await get(TRANSACTIONS, platform), "query.organization_id");
    assertPage(await get(`${TRANSACTIONS}?organization_id=${org.id}`, platform), 3, 3);
  });

  it("reads only the page's payments unless status, search, amount or status ordering need them all, with the same answers", async () => {
    const { admin, paid } = await anOrganizationPaying();
    const now = Date.now();
    const made = [];
    for (const [i, amount] of [3000, 1000, 2000].entries()) made.push(await paid({ amount, at: new Date(now - (i + 1) * 60_000) }));
    assert.deepEqual(ids(await get(TRANSACTIONS, admin)), made.map((p) => p.id));
    assert.deepEqual(ids(await get(`${TRANSACTIONS}?ordering=amount`, admin)), [made[1]!.id, made[2]!.id, made[0]!.id]);
    assertPage(await get(`${TRANSACTIONS}?search=D%C3%A9p%C3%B4t&page_size=2`, admin), 3, 2);
  });

  it("reads the rows from the _id index, refuses a bad window, and lists those made before the rows were kept once the backfill has run", async () => {
    const { org, admin, paid } = await anOrganizationPaying();
    const before = await paid({ withoutRows: true });
    assertPage(await get(TRANSACTIONS, admin), 0, 0);
    await backfillPaymentRows(store());
    assert.deepEqual(ids(await get(TRANSACTIONS, admin)), [before.id]);
    const day = new Date().toISOString().slice(0, 10);
    await assertReadFromIdIndex(store().organizationPayments.collection, { _id: { $gte: `${ownerPrefix(org.id)}${day}T00:00:00.000Z`, $lt: `${ownerPrefix(org.id)}${day}U` } });
    assertInvalidField(await get(`${TRANSACTIONS}?date_from=2030-01-08&date_to=2030-01-07`, admin), "query.date_to");
    assertInvalidField(await get(`${TRANSACTIONS}?date_from=yesterday`, admin), "query.date_from");
  });
});
