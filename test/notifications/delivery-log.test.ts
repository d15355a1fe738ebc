// The delivery log (GET /deliveries): staff's from the rows under their organisation by
// creation (services/notifications/organization-deliveries.ts), the platform admin's per
// organisation or per user (a user's deliveries under the user's prefix); the rows of a
// database from before written by the backfill.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { deliveryId } from "../../services/notifications/delivery.ts";
import { backfillOrganizationDeliveryRows, noteOrganizationDelivery } from "../../services/notifications/organization-deliveries.ts";
import { notificationsStore, type DeliveryDoc } from "../../services/notifications/store.ts";
import { assertError, assertInvalidField, assertPage, assertReadFromIdIndex } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPhone, aPlatformAdmin } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { system } from "../support/system.ts";
import { aKey, DELIVERIES, remind, SEND_SMS } from "./notification-fixtures.ts";

const DAY = 86_400_000;
const store = () => notificationsStore(system().node.db);
const ids = (reply: { body: { results: Array<{ id: string }> } }) => reply.body.results.map((d) => d.id);

/** A text the organisation asked for at `at`, stored as the courier stores one (its row first, unless `withoutRow`). */
async function aLoggedText(organizationId: string, { at = new Date(), event = "direct", status = "sent" as DeliveryDoc["status"], withoutRow = false } = {}): Promise<DeliveryDoc> {
  const recipient = aPhone();
  const key = randomUUID();
  const doc: DeliveryDoc = {
    _id: deliveryId("sms", `number/${recipient}`, key, null), channel: "sms", event, idempotency_key: key, user_id: null, recipient,
    message: { subject: null, text: "Votre dossier est prêt.", data: null }, status, attempts: 1, provider: "log", provider_message_id: null,
    last_error: null, error_code: null, history: [], next_attempt_at: null, sent_at: at, organization_id: organizationId, requested_by: null, created_at: at, updated_at: at,
  };
  if (!withoutRow) await noteOrganizationDelivery(store(), { ...doc, organization_id: organizationId });
  await store().deliveries.collection.insertOne(doc as never);
  return doc;
}

describe("the delivery log", () => {
  it("lists staff their organisation's messages of the window asked, newest first, as they are now, the organisation's only", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const staff = { token: admin.access };
    const now = Date.now();
    const [older, tracker, failed] = [await aLoggedText(org.id, { at: new Date(now - 10 * DAY) }), await aLoggedText(org.id, { at: new Date(now - 2 * DAY), event: "ticket.tracker" }), await aLoggedText(org.id, { at: new Date(now - DAY), status: "failed" })];
    const sent = await post(SEND_SMS, { to: aPhone(), text: "Votre dossier est prêt." }, staff);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const foreign = await anAdministeredOrganization();
    await aLoggedText(foreign.org.id);

    assert.deepEqual(ids(await get(DELIVERIES, staff)), [sent.body.id, failed._id, tracker._id], "the last 7 days by default");
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    assert.deepEqual(ids(await get(`${DELIVERIES}?date_from=${day(now - 12 * DAY)}&date_to=${day(now)}&ordering=created_at`, staff)), [older._id, tracker._id, failed._id, sent.body.id]);
    assert.deepEqual(ids(await get(`${DELIVERIES}?date_from=${day(now - 12 * DAY)}`, staff)), [older._id], "a bound alone spans 7 days");
    assert.deepEqual(ids(await get(`${DELIVERIES}?event=ticket.tracker&channel=sms`, staff)), [tracker._id]);
    assert.deepEqual((await get(`${DELIVERIES}?status=failed`, staff)).body.results.map((d: any) => [d.id, d.status]), [[failed._id, "failed"]]);
    assertPage(await get(`${DELIVERIES}?page_size=2&page=2`, staff), 3, 1);
    // Another organisation's staff, or this one's naming another, see none of them; a citizen, nothing at all.
    assertPage(await get(DELIVERIES, { token: (await anAgent(foreign.org.id)).access }), 1, 1);
    assertPage(await get(`${DELIVERIES}?organization_id=${foreign.org.id}`, staff), 0, 0);
    assertError(await get(DELIVERIES, { token: (await aCitizen()).access }), 403, "forbidden");
  });

  it("lists the platform admin one organisation's messages, or every message one user got, and refuses a log of everyone", async () => {
    const { org } = await anAdministeredOrganization();
    const text = await aLoggedText(org.id);
    const citizen = await aCitizen();
    const reminded = await remind(citizen.user.id);
    const platform = { token: (await aPlatformAdmin()).access };
    assertInvalidField(await get(DELIVERIES, platform), "query.organization_id");
    assert.deepEqual(ids(await get(`${DELIVERIES}?organization_id=${org.id}`, platform)), [text._id]);
    const users = await get(`${DELIVERIES}?user_id=${citizen.user.id}&ordering=channel`, platform);
    assertInvalidField(users, "query.ordering");
    const got = await get(`${DELIVERIES}?user_id=${citizen.user.id}`, platform);
    assert.deepEqual(got.body.results.map((d: any) => d.channel).sort(), ["in_app", "sms"]);
    assert.ok(ids(got).every((id) => id.startsWith(ownerPrefix(citizen.user.id))), "a user's deliveries are kept under the user's prefix");
    assert.ok(ids(got).includes(reminded.notification_id));
    assertPage(await get(`${DELIVERIES}?user_id=${citizen.user.id}&date_from=2030-01-01`, platform), 0, 0);
    assertPage(await get(`${DELIVERIES}?user_id=${citizen.user.id}&channel=sms&status=sent`, platform), 1, 1);
  });

  it("keeps one row for a message repeated with the same key, and reads only the page's messages unless status, search or updated_at need them all, with the same answers", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const staff = { token: admin.access };
    const phone = aPhone();
    const key = aKey("by-hand");
    const first = await post(SEND_SMS, { to: phone, text: "Votre dossier est prêt.", idempotency_key: key }, staff);
    const again = await post(SEND_SMS, { to: phone, text: "Votre dossier est prêt.", idempotency_key: key }, staff);
    assert.equal(again.body.id, first.body.id);
    const rows = await store().organizationDeliveries.find({ _id: { $gte: ownerPrefix(org.id), $lt: `${org.id.length}:${org.id};` } }).lean();
    assert.deepEqual(rows.map((row) => row._id.split("#")[1]), [first.body.id]);

    const made = [first.body.id];
    for (let i = 1; i <= 2; i++) made.push((await aLoggedText(org.id, { at: new Date(Date.now() - i * 60_000) }))._id);
    assert.deepEqual(ids(await get(DELIVERIES, staff)), made);
    assert.deepEqual(ids(await get(`${DELIVERIES}?ordering=-updated_at`, staff)), made);
    assert.deepEqual(ids(await get(`${DELIVERIES}?search=${encodeURIComponent(phone)}`, staff)), [first.body.id]);
    assertPage(await get(`${DELIVERIES}?status=sent&page_size=2`, staff), 3, 2);
  });

  it("reads rows and a user's deliveries from the _id index, refuses a bad window, and lists messages from before the rows once the backfill has run", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const staff = { token: admin.access };
    const before = await aLoggedText(org.id, { withoutRow: true });
    assertPage(await get(DELIVERIES, staff), 0, 0);
    await backfillOrganizationDeliveryRows(store());
    assert.deepEqual(ids(await get(DELIVERIES, staff)), [before._id]);
    const day = new Date().toISOString().slice(0, 10);
    await assertReadFromIdIndex(store().organizationDeliveries.collection, { _id: { $gte: `${ownerPrefix(org.id)}${day}T00:00:00.000Z`, $lt: `${ownerPrefix(org.id)}${day}U` } });
    const citizen = await aCitizen();
    await assertReadFromIdIndex(store().deliveries.collection, { _id: { $gte: ownerPrefix(citizen.user.id), $lt: `${citizen.user.id.length}:${citizen.user.id};` } });
    assertInvalidField(await get(`${DELIVERIES}?date_from=2030-01-08&date_to=2030-01-07`, staff), "query.date_to");
    assertInvalidField(await get(`${DELIVERIES}?date_from=2030-01-01&date_to=2030-06-01`, staff), "query.date_to");
    assertInvalidField(await get(`${DELIVERIES}?date_from=yesterday`, staff), "query.date_from");
    const indexes = await store().deliveries.collection.indexes();
    assert.ok(!indexes.some((index) => index.name === "organization_id_1"), "nothing reads deliveries by organisation any more");
  });
});
