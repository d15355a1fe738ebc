// The CSV export's reading of a day (actors/host/ticket-views.ts, streamRowsOfDay): over
// many batches, read a batch ahead, each of the organisation's tickets once and as it
// ended, never another organisation's; and a reader that stops early (a client gone)
// leaves no cursor open.
import assert from "node:assert/strict";
import { Types, type Connection } from "mongoose";
import type { TicketDoc } from "../../actors/host/store.ts";
import { packedDayRow } from "../../actors/host/day-rows.ts";
import { dayCollectionName, dayEndsCollectionName, streamRowsOfDay } from "../../actors/host/ticket-views.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { readAhead } from "../../mixins/db/read-ahead.ts";
import { mongoUrl } from "../support/system.ts";

const DAY = "2026-11-07";
const QUEUE = new Types.ObjectId().toHexString();
const aTicket = (organizationId: string, n: number, status: string): TicketDoc =>
  ({
    _id: `${QUEUE}-${new Types.ObjectId().toHexString()}`, queue_id: QUEUE, organization_id: organizationId, branch_id: null, number: `A-${n}`, day: DAY,
    status, channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null, issued_at: n, called_at: null,
    started_at: null, finished_at: null, counter_id: null, recalls: 0, transferred_from: null, reason: null, seq: n,
  }) as TicketDoc;

describe("tickets export: a day read in batches", () => {
  let db: Connection;
  const org = new Types.ObjectId().toHexString();
  const other = new Types.ObjectId().toHexString();

  before(async () => {
    db = await connectMongo(mongoUrl());
    // 40 of the organisation's tickets: every third still waiting, the others ended after
    // their arrival was written (arrival in the day, end in its ends) — but one, ended
    // with its arrival (one row) — and one ended with no arrival row at all; 10 of another's.
    const arrivals = Array.from({ length: 40 }, (_, n) => aTicket(org, n, "waiting"));
    const ends = arrivals.filter((_, n) => n % 3 !== 0 && n !== 1).map((row): TicketDoc => ({ ...row, status: "completed", finished_at: row.issued_at + 1, seq: row.seq + 100 }));
    arrivals[1]!.status = "no_show";
    const endAlone = aTicket(org, 40, "cancelled");
    const others = Array.from({ length: 10 }, (_, n) => aTicket(other, n, n % 2 ? "waiting" : "completed"));
    // Stored as the projector stores them (day-rows.ts).
    await db.collection(dayCollectionName(DAY)).insertMany([...arrivals, ...others.filter((row) => row.status === "waiting")].map(packedDayRow) as never[]);
    await db.collection(dayEndsCollectionName(DAY)).insertMany([...ends, endAlone, ...others.filter((row) => row.status !== "waiting")].map(packedDayRow) as never[]);
  });
  after(async () => {
    await Promise.all([db.collection(dayCollectionName(DAY)).drop(), db.collection(dayEndsCollectionName(DAY)).drop()]);
    await db.close();
  });

  it("yields each of the organisation's tickets once, as it ended, over many batches", async () => {
    const rows: TicketDoc[] = [];
    for await (const row of streamRowsOfDay(db, DAY, { organizationId: org }, 7)) rows.push(row);
    assert.equal(rows.length, 41);
    assert.equal(new Set(rows.map((row) => row._id)).size, 41, "each ticket once");
    assert.ok(rows.every((row) => row.organization_id === org), "no other organisation's row");
    const byNumber = new Map(rows.map((row) => [row.number, row.status]));
    for (let n = 0; n < 40; n++) assert.equal(byNumber.get(`A-${n}`), n === 1 ? "no_show" : n % 3 === 0 ? "waiting" : "completed", `A-${n}`);
    assert.equal(byNumber.get("A-40"), "cancelled");
  });

  it("closes the cursor, its next batch asked for already, when the reader stops early", async () => {
    const cursor = db.collection<TicketDoc>(dayCollectionName(DAY)).find({ organization_id: org }, { batchSize: 7 });
    let read = 0;
    for await (const _row of readAhead(cursor)) if (++read === 10) break;
    assert.equal(read, 10);
    assert.ok(cursor.closed, "the cursor is closed");
  });
});
