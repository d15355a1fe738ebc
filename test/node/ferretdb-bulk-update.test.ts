// The projector writes its rows with bulkWrites of hundreds of updates. FerretDB 1.24
// held every statement's query open until the end of the update command, so a command of
// more than about 100 statements took all of SQLite's pooled connections and waited for
// one more, and every other client waited with it — for good, with nobody else to free a
// connection. scripts/build-ferretdb.sh patches that; a build that loses the patch never
// finishes this test (it fails on mocha's timeout) instead of stalling the durable path.
import assert from "node:assert/strict";
import { MongoClient } from "mongodb";
import { Types } from "mongoose";
import { mongoUrl } from "../support/system.ts";

const STATEMENTS = 250;

describe("the database's bulk updates", () => {
  it(`applies one update command of ${STATEMENTS} statements while other clients are answered`, async function () {
    this.timeout(60_000);
    const [writer, reader] = await Promise.all([MongoClient.connect(mongoUrl()), MongoClient.connect(mongoUrl())]);
    try {
      const name = `bulk_update_${new Types.ObjectId().toHexString()}`;
      const ids = Array.from({ length: STATEMENTS }, (_, i) => `doc-${i}`);
      const collection = writer.db().collection<{ _id: string; n: number }>(name);
      await collection.insertMany(ids.map((_id) => ({ _id, n: 0 })));
      const [bulk, found] = await Promise.all([
        collection.bulkWrite(ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { n: 1 } } } })), { ordered: false }),
        reader.db().collection<{ _id: string; n: number }>(name).findOne({ _id: "doc-0" }),
      ]);
      assert.equal(bulk.modifiedCount, STATEMENTS);
      assert.equal(found?._id, "doc-0");
      assert.equal(await collection.countDocuments({ n: 1 }), STATEMENTS);
      await collection.drop();
    } finally {
      // A stuck server would keep these waiting: close without waiting for it.
      await Promise.all([writer.close(true), reader.close(true)]);
    }
  });
});
