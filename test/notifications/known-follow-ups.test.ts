// What a node knows of the tickets that have an SMS follow-up (known-follow-ups.ts), on the
// run's real database: what another node wrote or deleted is known once read again, and
// what this node learned while a read was under way is not undone by it.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { KnownFollowUps } from "../../services/notifications/known-follow-ups.ts";
import { smsFollowUps } from "../../services/notifications/sms-follow-ups.ts";
import { mongoUrl } from "../support/system.ts";

describe("the SMS follow-ups a node knows of", () => {
  let db: Connection;
  before(async () => (db = await connectMongo(mongoUrl())));
  after(() => db.close());

  const aFollowUp = async () => {
    const id = `ticket-${randomUUID()}`;
    await smsFollowUps(db).create({ _id: id, phone: "+221770000000", organization_id: null, requested_by: "staff" });
    return id;
  };

  it("learns of a follow-up another node registered, and forgets one another node deleted, when it reads them again", async () => {
    const known = new KnownFollowUps(smsFollowUps(db));
    const [registered, deleted] = [await aFollowUp(), await aFollowUp()];
    await known.reload();
    assert.deepEqual([known.has(registered), known.has(deleted)], [true, true]);
    const later = await aFollowUp();
    await smsFollowUps(db).deleteOne({ _id: deleted });
    assert.equal(known.has(later), false, "not before it reads again");
    await known.reload();
    assert.deepEqual([known.has(registered), known.has(deleted), known.has(later)], [true, false, true]);
  });

  it("keeps what it learned while a read was under way", async () => {
    const known = new KnownFollowUps(smsFollowUps(db));
    const ended = await aFollowUp();
    await known.reload();
    const reading = known.reload();
    known.add("registered-meanwhile"); // the read in flight cannot have seen it
    known.remove(ended); // the read in flight may still find its row
    await reading;
    assert.deepEqual([known.has("registered-meanwhile"), known.has(ended)], [true, false]);
  });
});
