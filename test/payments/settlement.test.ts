// The daily settlement report: per organisation and method, what succeeded and what was
// refunded that day, as CSV.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { datedRowId } from "../../mixins/db/dated-rows.ts";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { backfillPaymentRows } from "../../services/payments/citizen-payments.ts";
import { settlementRows } from "../../services/payments/settlement-report.ts";
import { paymentsStore } from "../../services/payments/store.ts";
import type { Transition } from "../../services/payments/transaction-machine.ts";
import { assertError, assertInvalidField, assertReadFromIdIndex } from "../support/assertions.ts";
import { anAdministeredOrganization } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { ADMIN, system } from "../support/system.ts";
import { withAPaymentNode } from "./payment-node.ts";
import { aStoredPayment } from "./stored-payment.ts";

/** The report's rows by column (its values hold no commas or quotes). */
function csvRows(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trim().split("\n").map((line) => line.split(","));
  return lines.map((values) => Object.fromEntries(header!.map((name, i) => [name, values[i] ?? ""])));
}

const at = (day: string) => `${day}T10:00:00.000Z`;
const paid = (day: string): Transition[] => [{ from: "created", to: "pending", cause: "user", at: at(day) }, { from: "pending", to: "succeeded", cause: "webhook", at: at(day) }];

describe("payments: settlement rows", () => {
  it("sums a day's payments and refunds per method, with the total, and leaves other days and organisations out", () => {
    const rows = settlementRows("org-a", "2026-12-02", [
      { organization_id: "org-a", method: "wave", amount: 5000, history: paid("2026-12-02") },
      { organization_id: "org-a", method: "wave", amount: 3000, history: [...paid("2026-12-01"), { from: "succeeded", to: "partially_refunded", cause: "user", at: at("2026-12-02"), amount: 1000 }] },
      { organization_id: "org-a", method: "orange_money", amount: 2000, history: paid("2026-12-02") },
      { organization_id: "org-a", method: "free_money", amount: 2000, history: paid("2026-12-01") },
      { organization_id: "org-b", method: "wave", amount: 9000, history: paid("2026-12-02") },
    ]);
    assert.deepEqual(rows.map((r) => [r.method, r.payments, r.paid_xof, r.refunds, r.refunded_xof, r.net_xof]), [
      ["orange_money", 1, 2000, 0, 0, 2000],
      ["wave", 1, 5000, 1, 1000, 4000],
      ["total", 2, 7000, 1, 1000, 6000],
    ]);
  });
});

describe("payments: the settlement report's rows", () => {
  const store = () => paymentsStore(system().node.db);

  it("reads the day's settling transitions under the organisation, and the payments from before the rows once the backfill has run", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const now = new Date();
    const [today, yesterday] = [now, new Date(now.getTime() - 86_400_000)].map((at) => at.toISOString().slice(0, 10));
    const of = (organization_id = org.id) => ({ organization_id, user_id: new Types.ObjectId().toHexString(), service_id: new Types.ObjectId().toHexString() });
    await aStoredPayment(of(), { amount: 5000, at: now });
    await aStoredPayment(of(), { amount: 3000, at: new Date(now.getTime() - 86_400_000) });
    await aStoredPayment(of(new Types.ObjectId().toHexString()), { amount: 9000, at: now });
    const before = await aStoredPayment(of(), { amount: 2000, method: "orange_money", at: now, withoutRows: true });
    // A row noted today for a change that never made it (its claim lost): its payment's history says yesterday.
    const stray = await aStoredPayment(of(), { amount: 7000, at: new Date(now.getTime() - 86_400_000) });
    await store().organizationSettlements.create({ _id: datedRowId(org.id, now, stray.id) });
    const report = async (day: string) => csvRows((await get(`/api/payments/settlements/?date=${day}`, { token: admin.access })).body as string).map((r) => [r.method, r.payments, r.paid_xof]);
    assert.deepEqual(await report(today), [["wave", "1", "5000"], ["total", "1", "5000"]]);
    assert.deepEqual(await report(yesterday), [["wave", "2", "10000"], ["total", "2", "10000"]]);
    assert.ok((await backfillPaymentRows(store())) >= 1);
    assert.deepEqual(await report(today), [["orange_money", "1", "2000"], ["wave", "1", "5000"], ["total", "2", "7000"]], `${before.id} counted once backfilled`);
    await assertReadFromIdIndex(store().organizationSettlements.collection, { _id: { $gte: `${ownerPrefix(org.id)}${today}T00:00:00.000Z`, $lt: `${ownerPrefix(org.id)}${today}U` } });
  });
});

describe("payments: the settlement report", function () {
  this.timeout(60_000);
  const t = withAPaymentNode({ PAYMENT_VERIFY_BACKOFF_SECONDS: "3600" });

  const aPaidPayment = async (method: "wave" | "orange_money") => {
    const started = (await t.sut.pay(t.citizen, { service_id: t.office.service.id, method, amount: 5000, phone: "+221771234567" })).body;
    (method === "wave" ? t.sut.wave : t.sut.orange).pay(started.id);
    assert.equal((await post("/api/payments/verify-payment/", { transaction_id: started.id }, t.sut.as(t.citizen))).body.status, "succeeded");
    return started.id as string;
  };

  it("answers the organisation's staff a CSV of the day, per method and in total", async () => {
    const wave = await aPaidPayment("wave");
    await aPaidPayment("orange_money");
    assert.equal((await post("/api/payments/refund/", { transaction_id: wave, amount: 1500 }, t.sut.as(t.office.admin))).status, 200);
    const reply = await get("/api/payments/settlements/", t.sut.as(t.office.agent));
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.match(reply.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(reply.headers.get("content-disposition") ?? "", /attachment; filename="settlement-/);
    const rows = csvRows(reply.body as string);
    assert.deepEqual(rows.map((r) => [r.method, r.payments, r.paid_xof, r.refunds, r.refunded_xof, r.net_xof]), [
      ["orange_money", "1", "5000", "0", "0", "5000"],
      ["wave", "1", "5000", "1", "1500", "3500"],
      ["total", "2", "10000", "1", "1500", "8500"],
    ]);
    assert.ok(rows.every((r) => r.organization_id === t.office.org.id && r.date === new Date().toISOString().slice(0, 10)));
  });

  it("refuses a citizen and another organisation's staff, and asks the platform admin which organisation", async () => {
    const query = `/api/payments/settlements/?organization_id=${t.office.org.id}`;
    assertError(await get(query, t.sut.as(t.citizen)), 403, "forbidden");
    assertError(await get(query, t.sut.as(t.otherOffice.admin)), 403, "forbidden");
    const admin = await post("/api/accounts/auth/login/", ADMIN, { baseUrl: t.sut.baseUrl });
    assertInvalidField(await get("/api/payments/settlements/", { token: admin.body.access, baseUrl: t.sut.baseUrl }), "query.organization_id");
    assertInvalidField(await get("/api/payments/settlements/?date=2026-13-40", t.sut.as(t.office.admin)), "query.date");
  });
});
