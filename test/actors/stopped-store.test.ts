// A database that stops answering (here: its process stopped with SIGSTOP) must not hold
// callers until the gateway gives up: the host answers 503 store_busy within its store
// timeout, and once the database is back nothing is lost or numbered twice — even the
// append that was still in flight when its callers were told to retry.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServiceBroker } from "moleculer";
import { Types, type Connection } from "mongoose";
import { QueueActorHost } from "../../actors/host/host.ts";
import { ensureHostIndexes, hostStore, type HostStore } from "../../actors/host/store.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { provideMongo, type MongoServer } from "../../scripts/mongo-server.ts";
import { eventually } from "../support/eventually.ts";

const logger = new ServiceBroker({ logger: false }).getLogger("stopped-store-test");
const newId = () => new Types.ObjectId().toHexString();
const issue = (ticketId: string) => ({ type: "issue" as const, ticket_id: ticketId, channel: "kiosk" as const, priority: "normal" as const });
const isStoreBusy = (err: { code?: number; type?: string }) => err.code === 503 && err.type === "store_busy";

describe("a database that stops answering", function () {
  this.timeout(60_000);
  let dataDir: string;
  let server: MongoServer;
  let db: Connection;
  let store: HostStore;
  let host: QueueActorHost;

  before(async () => {
    // Its own server, never the suite's: stopping that one would stall every other test.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-stopped-store-"));
    server = await provideMongo({ dataDir });
    db = await connectMongo(server.url);
    store = hostStore(db);
    await ensureHostIndexes(store);
    host = new QueueActorHost({
      store,
      nodeId: "node-a",
      idleMs: 60_000,
      storeTimeoutMs: 300,
      logger,
      loadQueue: async (id) => ({ id, organization_id: "org-stopped-store", branch_id: null, policy: { prefix: "S" } }),
      publish: () => {},
    });
  });
  after(async () => {
    if (server.pid) process.kill(server.pid, "SIGCONT");
    await host.stop();
    await db.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 503 store_busy instead of waiting, and loses nothing once it is back", async () => {
    assert.ok(server.pid, "the test started its own server");
    const queueId = newId();
    const before = newId();
    await host.execute(queueId, issue(before));
    const inFlight = newId();
    const otherQueue = newId();
    process.kill(server.pid, "SIGSTOP");
    try {
      await assert.rejects(host.execute(queueId, issue(inFlight)), isStoreBusy, "an append to an active queue");
      await assert.rejects(host.execute(otherQueue, issue(newId())), isStoreBusy, "an activation's reads");
    } finally {
      process.kill(server.pid, "SIGCONT");
    }
    // The caller told to retry does so with the same ticket id (its Idempotency-Key).
    const retry = () =>
      host.execute(queueId, issue(inFlight)).then(
        () => "issued",
        (err: { type?: string }) => err.type ?? String(err),
      );
    await eventually(retry, (outcome) => outcome === "issued", 30_000);
    await host.execute(queueId, issue(newId()));
    const state = await host.read(queueId, (s) => s);
    const ids = state.tickets.map((t) => t.id);
    assert.equal(ids.filter((id) => id === inFlight).length, 1, "the retried ticket exists once");
    assert.ok(ids.includes(before));
    const issued = state.tickets.map((t) => t.number).sort();
    assert.deepEqual(issued, [...new Set(issued)], "no number given twice");
    assert.equal(state.tickets.length, 3);
  });
});
