// FerretDB 1.24 made each statement of an `update` command a SQLite transaction with a
// commit of its own; scripts/build-ferretdb.sh patches it to one transaction per command,
// committed before the command answers, each statement in a savepoint. What a client can
// see of that: another client reads the command's writes all or none, a statement reads
// what the ones before it wrote, a statement that fails is undone alone while the ones
// before it are kept (FerretDB stops an update command at its first failure), and a
// command changing the collection registry (an index) does not stall beside it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient, type Collection } from "mongodb";
import { provideMongo, type MongoServer } from "../../scripts/mongo-server.ts";

const STATEMENTS = 1_000;

interface Doc {
  _id: string;
  n: number;
}

describe("the database's update commands", function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: MongoServer;
  let writer: MongoClient;
  let reader: MongoClient;
  let collection: Collection<Doc>;

  before(async () => {
    // Its own server: nothing else writes while a command runs.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-update-one-tx-"));
    server = await provideMongo({ dataDir });
    [writer, reader] = await Promise.all([MongoClient.connect(server.url), MongoClient.connect(server.url)]);
    collection = writer.db().collection<Doc>("updates");
  });
  after(async () => {
    await Promise.all([writer?.close(), reader?.close()]);
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`shows another client all of a command's ${STATEMENTS} updates or none of them`, async () => {
    const ids = Array.from({ length: STATEMENTS }, (_, i) => `all-or-none-${i}`);
    await collection.insertMany(ids.map((_id) => ({ _id, n: 0 })));
    const seen = new Set<number>();
    let done = false;
    const bulk = collection
      .bulkWrite(ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { n: 1 } } } })), { ordered: false })
      .finally(() => (done = true));
    const read = reader.db().collection<Doc>("updates");
    // Read until the command has answered; every read counts the updated documents.
    while (!done) seen.add(await read.countDocuments({ _id: { $in: ids }, n: 1 }));
    assert.equal((await bulk).modifiedCount, STATEMENTS);
    assert.equal(await read.countDocuments({ _id: { $in: ids }, n: 1 }), STATEMENTS);
    assert.deepEqual([...seen].filter((count) => count !== 0 && count !== STATEMENTS), [], "a read saw part of the command");
  });

  it("lets a statement read what the statements before it in the same command wrote", async () => {
    const bulk = await collection.bulkWrite(
      [
        { updateOne: { filter: { _id: "upserted-twice" }, update: { $set: { n: 1 } }, upsert: true } },
        { updateOne: { filter: { _id: "upserted-twice" }, update: { $inc: { n: 1 } }, upsert: true } },
      ],
      { ordered: true },
    );
    assert.deepEqual([bulk.upsertedCount, bulk.modifiedCount], [1, 1]);
    assert.deepEqual(await collection.findOne({ _id: "upserted-twice" }), { _id: "upserted-twice", n: 2 });
  });

  it("creates indexes while bulk upserts run, neither waiting for the other", async () => {
    // Each upsert of the command checks its collection under the registry's lock, while the
    // command holds SQLite's write lock; each index creation holds the registry's lock for
    // its CREATE INDEX. Without the registry patch, an index creation caught between two
    // upserts waited SQLite's busy timeout (10 s) and failed.
    const upserts = writer.db().collection<Doc>("upserted");
    const indexed = reader.db().collection<Doc>("indexed");
    await indexed.insertOne({ _id: "one", n: 0 });
    for (let round = 0; round < 10; round++) {
      const ids = Array.from({ length: 200 }, (_, i) => `round-${round}-${i}`);
      const [bulk, index] = await Promise.all([
        upserts.bulkWrite(ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { n: round } }, upsert: true } })), { ordered: false }),
        indexed.createIndex({ [`field_${round}`]: 1 }),
      ]);
      assert.equal(bulk.upsertedCount, ids.length);
      assert.equal(index, `field_${round}_1`);
    }
  });

  it("undoes a failing statement alone and keeps the statements before it", async () => {
    const mixed = writer.db().collection<{ _id: string; n: number | string }>("updates");
    await mixed.insertMany([
      { _id: "kept", n: 0 },
      { _id: "refused", n: "not a number" },
      { _id: "after", n: 0 },
    ]);
    await assert.rejects(
      collection.bulkWrite(
        [
          { updateOne: { filter: { _id: "kept" }, update: { $set: { n: 1 } } } },
          { updateOne: { filter: { _id: "refused" }, update: { $inc: { n: 1 } } } },
          { updateOne: { filter: { _id: "after" }, update: { $set: { n: 1 } } } },
        ],
        { ordered: true },
      ),
    );
    const docs = await mixed.find({ _id: { $in: ["kept", "refused", "after"] } }).sort({ _id: 1 }).toArray();
    assert.deepEqual(docs, [
      { _id: "after", n: 0 },
      { _id: "kept", n: 1 },
      { _id: "refused", n: "not a number" },
    ]);
    // The command's transaction is over: the next command writes and is read at once.
    await collection.updateOne({ _id: "after" }, { $set: { n: 2 } });
    assert.equal((await reader.db().collection<Doc>("updates").findOne({ _id: "after" }))?.n, 2);
  });
});
