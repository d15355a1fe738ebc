// A citizen's payments read by the range of rows under the citizen's prefix
// (services/payments/citizen-payments.ts): their own, as they are now, whatever else was
// paid; and the rows of a database from before written by the backfill.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { ofOwner, ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { backfillPaymentRows } from "../../services/payments/citizen-payments.ts";
import { paymentsStore } from "../../services/payments/store.ts";
import { assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aStoredPayment } from "./stored-payment.ts";

const TRANSACTIONS = "/api/payments/transactions/";
const store = () => paymentsStore(system().node.db);
const paidTo = (user_id: string) => ({ organization_id: new Types.ObjectId().toHexString(), service_id: new Types.ObjectId().toHexString(), user_id });

describe("a citizen's payments", () => {
  it("lists the citizen's own as they are now, beside rows of citizens whose ids start with theirs", async () => {
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const [wave, orange] = [await aStoredPayment(paidTo(citizen.user.id)), await aStoredPayment(paidTo(citizen.user.id), { method: "orange_money", status: "failed" })];
    const other = await aStoredPayment(paidTo(new Types.ObjectId().toHexString()));
    // Rows of users whose ids start with this one's (pointing at someone's payment), one of the
    // citizen's pointing at someone else's, and one pointing at nothing, as a creation that
    // failed after its row leaves.
    const rows = [`${citizen.user.id}0`, `${citizen.user.id}:x`, `${citizen.user.id};`].map((id) => ({ _id: `${ownerPrefix(id)}${other.id}` }));
    await store().citizenPayments.collection.insertMany([...rows, { _id: `${ownerPrefix(citizen.user.id)}${other.id}` }, { _id: `${ownerPrefix(citizen.user.id)}pay_gone` }] as never[]);
    const mine = await get(`${TRANSACTIONS}?ordering=method`, as);
    assert.deepEqual(mine.body.results.map((p: any) => [p.id, p.status]), [[orange.id, "failed"], [wave.id, "succeeded"]]);
    assertPage(await get(`${TRANSACTIONS}?status=succeeded`, as), 1, 1);
    assertPage(await get(`${TRANSACTIONS}?method=orange_money&page_size=1`, as), 1, 1);
    assertPage(await get(`${TRANSACTIONS}?user_id=${other.id}`, as), 2, 2); // their own, whatever user_id says
    await assertReadFromIdIndex(store().citizenPayments.collection, ofOwner(citizen.user.id));
  });

  it("lists those made before the rows were kept once the backfill has run, and a second run adds nothing", async () => {
    const citizen = await aCitizen();
    const before = await aStoredPayment(paidTo(citizen.user.id), { withoutRows: true });
    const as = { token: citizen.access };
    assertPage(await get(TRANSACTIONS, as), 0, 0);
    assert.ok((await backfillPaymentRows(store())) >= 1);
    await backfillPaymentRows(store());
    assert.deepEqual((await get(TRANSACTIONS, as)).body.results.map((p: any) => p.id), [before.id]);
  });
});
