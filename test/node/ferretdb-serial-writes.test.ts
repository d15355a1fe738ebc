// SQLite lets one transaction write at a time. FerretDB 1.24 let every write race for that
// on its own pooled connection, and the losers slept in SQLite's busy handler (1, 2, 5 ...
// 100 ms between tries) while the core stood idle: a journal insert waited 60 ms on
// average under load:tickets. scripts/build-ferretdb.sh patches FerretDB so writers queue
// on a Go mutex instead. This test makes writers contend and reads FerretDB's goroutine
// dumps until one shows a writer waiting for its turn: it must be queued on the mutex,
// and no dump may show a writer in the busy handler. A build that loses the patch fails.
// Every insert first asks the registry to create its collection; one that exists must not
// queue for the turn there too (scripts/ferretdb-registry-takes-write-turn.sed).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { provideMongo, type MongoServer } from "../../scripts/mongo-server.ts";

const WRITERS = 24;
const ROUNDS_AT_MOST = 200;
const ROUNDS_AT_LEAST = 20; // dumps enough to catch an insert queued in the registry

describe("the database's concurrent writers", function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: MongoServer;
  let clients: MongoClient[];

  before(async () => {
    // Its own server: its goroutines are this test's writers only.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-serial-writes-"));
    server = await provideMongo({ dataDir });
    clients = await Promise.all(Array.from({ length: WRITERS }, () => MongoClient.connect(server.url)));
    await clients[0]!.db().createCollection("serial_writes");
  });
  after(async () => {
    await Promise.all((clients ?? []).map((client) => client.close()));
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("take turns queued in the server, once per insert, none asleep in SQLite's busy handler, every write applied", async () => {
    const collection = (n: number) => clients[n]!.db().collection<{ _id: string; round: number }>("serial_writes");
    let queuedSeen = false;
    let rounds = 0;
    for (; rounds < ROUNDS_AT_MOST && (!queuedSeen || rounds < ROUNDS_AT_LEAST); rounds++) {
      const writes = clients.map((_, n) => collection(n).insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `${rounds}-${n}-${i}`, round: rounds }))));
      if (server.debugUrl) {
        const dump = await fetch(`${server.debugUrl}/debug/pprof/goroutine?debug=2`).then((r) => r.text());
        assert.doesNotMatch(dump, /sqliteDefaultBusyCallback/, "a writer slept in SQLite's busy handler: the serial-writes patch is missing");
        const waiting = dump.split("\n\n").filter((goroutine) => goroutine.includes("sync.(*Mutex).Lock") && goroutine.includes("fsql.HoldWriteTurn"));
        assert.ok(!waiting.some((goroutine) => goroutine.includes("Registry).CollectionCreate")), "an insert into an existing collection queued for the turn in the registry");
        queuedSeen = waiting.some((goroutine) => goroutine.includes("fsql.(*DB).InTransaction"));
      } else {
        queuedSeen = true; // mongod: no FerretDB to look into; the writes below still count
      }
      await Promise.all(writes);
    }
    assert.ok(queuedSeen, `no dump caught a writer waiting for its turn in ${ROUNDS_AT_MOST} rounds of ${WRITERS} concurrent writers`);
    assert.equal(await collection(0).countDocuments({}), rounds * WRITERS * 20);
  });
});
