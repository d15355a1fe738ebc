// A closed day packed for the CSV export (actors/host/day-packs.ts, by the pass in
// services/analytics/export-packing.ts): exported exactly as from its views, each
// organisation from its own packs only; a late write to the day through the projector's
// views makes the export read the views again until the day is packed anew.
import assert from "node:assert/strict";
import { Types, type Connection } from "mongoose";
import { DAY_PACKS, type DayPackManifest } from "../../actors/host/day-pack-manifests.ts";
import { packedDay, packsCollectionName } from "../../actors/host/day-packs.ts";
import { hostStore, type HostStore, type TicketDoc } from "../../actors/host/store.ts";
import { dayCollectionName, dayEndsCollectionName, writeViews } from "../../actors/host/ticket-views.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { eventually } from "../support/eventually.ts";
import { anAdministeredOrganization, type Session } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { mongoUrl, system } from "../support/system.ts";

/** Closed at any date this test runs on (packableDay: two days back). */
const DAY = "2026-10-15";
const EXPORT = `/api/analytics/export/?kind=tickets&date_from=${DAY}&date_to=${DAY}`;
const QUEUE = new Types.ObjectId().toHexString();
const OFFICE_TICKETS = 1203; // three packs: 500, 500 and 203 lines

const aTicket = (organizationId: string, n: number): TicketDoc =>
  ({
    _id: `${QUEUE}-${new Types.ObjectId().toHexString()}`, queue_id: QUEUE, organization_id: organizationId, branch_id: null, number: `A-${n}`, day: DAY,
    status: "waiting", channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null, issued_at: Date.parse(`${DAY}T08:00:00Z`) + n * 1000,
    called_at: null, started_at: null, finished_at: null, counter_id: null, recalls: 0, transferred_from: null, reason: null, seq: n + 1,
  }) as TicketDoc;
const ended = (row: TicketDoc): TicketDoc => ({ ...row, status: "completed", called_at: row.issued_at + 60_000, finished_at: row.issued_at + 300_000, seq: row.seq + 10_000 });

const lines = (body: unknown) => String(body).trim().split("\n");
const as = (who: Session) => ({ token: who.access });

describe("tickets export of a packed day", function () {
  this.timeout(120_000);
  let db: Connection;
  let store: HostStore;
  let office: { org: { id: string }; admin: Session };
  let other: { org: { id: string }; admin: Session };
  let stillWaiting: TicketDoc;

  /** Packs the run's closed days until this one is packed (another node's pass may be under way). */
  const packed = () =>
    eventually(async () => {
      await system().node.broker.call("analytics.packExportDays", {});
      return packedDay(db, DAY);
    }, (packs) => packs !== null, 60_000);

  before(async () => {
    db = await connectMongo(mongoUrl());
    store = hostStore(db);
    [office, other] = await Promise.all([anAdministeredOrganization(), anAdministeredOrganization()]);
    // As the projector writes them: arrivals, then the ends of two in three.
    const arrivals = [...Array.from({ length: OFFICE_TICKETS }, (_, n) => aTicket(office.org.id, n)), ...Array.from({ length: 10 }, (_, n) => aTicket(other.org.id, n))];
    await writeViews(store, { inserted: arrivals, updated: [], ended: [] });
    await writeViews(store, { inserted: [], updated: [], ended: arrivals.filter((_, n) => n % 3 !== 0).map(ended) });
    stillWaiting = arrivals[0]!;
  });
  after(async () => {
    const names = [dayCollectionName(DAY), dayEndsCollectionName(DAY), packsCollectionName(DAY)];
    await Promise.all([...names.map((name) => db.collection(name).drop().catch(() => {})), db.collection<DayPackManifest>(DAY_PACKS).deleteOne({ _id: DAY })]);
    await db.close();
  });

  it("gives the same CSV from the packs as from the views, each organisation only its own rows", async () => {
    const fromViews = await get(EXPORT, as(office.admin));
    assert.equal(fromViews.status, 200);
    assert.equal(lines(fromViews.body).length, 1 + OFFICE_TICKETS);

    const packs = await packed();
    assert.deepEqual(packs, { [office.org.id]: 3, [other.org.id]: 1 });
    const fromPacks = await get(EXPORT, as(office.admin));
    assert.equal(fromPacks.status, 200);
    assert.equal(fromPacks.body, fromViews.body);
    const statuses = lines(fromPacks.body).slice(1).map((line) => line.split(",")[6]);
    assert.equal(statuses.filter((s) => s === "completed").length, OFFICE_TICKETS - Math.ceil(OFFICE_TICKETS / 3));

    const others = lines((await get(EXPORT, as(other.admin))).body);
    assert.equal(others.length, 1 + 10);
    assert.ok(others.slice(1).every((line) => line.split(",")[3] === other.org.id));
  });

  it("reads the views again once a ticket of the packed day ends late, then packs it anew", async () => {
    await packed();
    const statusOf = (body: unknown) => lines(body).find((line) => line.startsWith(stillWaiting._id))!.split(",")[6];
    assert.equal(statusOf((await get(EXPORT, as(office.admin))).body), "waiting");

    await writeViews(store, { inserted: [], updated: [], ended: [ended(stillWaiting)] });
    assert.equal(await packedDay(db, DAY), null, "the packs no longer stand for the day");
    assert.equal(statusOf((await get(EXPORT, as(office.admin))).body), "completed");

    await packed();
    const again = await get(EXPORT, as(office.admin));
    assert.equal(statusOf(again.body), "completed");
    assert.equal(lines(again.body).length, 1 + OFFICE_TICKETS);
  });

  it("takes no packing request but the scheduler's, and refuses a bad one", async () => {
    const invalid = (field: string) => (err: any) => {
      assert.deepEqual([err.code, err.data?.fields?.map((f: { path: string }) => f.path)], [400, [field]], JSON.stringify(err.data));
      return true;
    };
    await assert.rejects(system().node.broker.call("analytics.packExportDays", { now: "yesterday" }), invalid("now"));
    await assert.rejects(system().node.broker.call("analytics.packExportDays", { day: DAY }), invalid("(root)"));
    assert.equal((await get("/api/analytics/packExportDays/", as(office.admin))).status, 404);
  });
});
