// The actor host against the real MongoDB-compatible server: durability before the
// answer, fencing between two nodes, group commit, reloading, and the read model the
// projector writes behind the answer.
import assert from "node:assert/strict";
import { Schema, Types, type Connection } from "mongoose";
import { ServiceBroker, type LoggerInstance } from "moleculer";
import { QueueActorHost, type QueueChanged } from "../../actors/host/host.ts";
import { append, commitBodyOf, commitId } from "../../actors/host/journal.ts";
import { ensureHostIndexes, hostStore, type CommitDoc, type HostStore } from "../../actors/host/store.ts";
import { readTicketRow } from "../../actors/host/ticket-ends.ts";
import { dayCollectionName, rowsOfDay } from "../../actors/host/ticket-views.ts";
import { ticketsOfUser } from "../../actors/host/citizen-rows.ts";
import { localDay } from "../../actors/queue/numbering.ts";
import { eventually } from "../support/eventually.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { dropIndexes, modelOf } from "../../mixins/db/models.ts";
import { mongoUrl } from "../support/system.ts";

const logger = new ServiceBroker({ logger: false }).getLogger("host-test");

describe("queue actor host", () => {
  let db: Connection;
  let store: HostStore;
  const hosts: QueueActorHost[] = [];

  before(async () => {
    db = await connectMongo(mongoUrl());
    store = hostStore(db);
    await ensureHostIndexes(store);
  });
  after(async () => {
    for (const host of hosts) await host.stop();
    await db.close();
  });

  function aHost(nodeId: string, published: QueueChanged[] = []): QueueActorHost {
    const host = new QueueActorHost({
      store,
      nodeId,
      idleMs: 60_000,
      logger,
      loadQueue: async (id) => ({ id, organization_id: "org-host-test", branch_id: null, policy: { prefix: "H" } }),
      publish: (change) => published.push(change),
    });
    hosts.push(host);
    return host;
  }

  const newId = () => new Types.ObjectId().toHexString();
  /** Deletes a queue's commits up to seq: only its snapshot knows them then. */
  const forgetCommitsUpTo = (queueId: string, seq: number) => store.commits.deleteMany({ _id: { $in: Array.from({ length: seq }, (_, i) => commitId(queueId, i + 1)) } });
  const issue = (ticketId = newId()) => ({ type: "issue" as const, ticket_id: ticketId, channel: "kiosk" as const, priority: "normal" as const });

  it("keeps no index on the journal but its _id, and drops the one on queue and seq a database from before has", async () => {
    await store.commits.collection.createIndex({ queue_id: 1, seq: -1 });
    assert.ok((await store.commits.collection.indexes()).some((index) => index.name === "queue_id_1_seq_-1"));
    await ensureHostIndexes(store);
    await ensureHostIndexes(store); // once dropped, starting again finds nothing to drop
    assert.deepEqual((await store.commits.collection.indexes()).map((index) => index.key), [{ _id: 1 }]);
    // A collection never written has no index to drop: starting on a new database is no error.
    const unwritten = `never_written_${newId()}`;
    await dropIndexes(modelOf(db, unwritten, new Schema({ _id: String }), unwritten), ["queue_id_1_seq_-1"]);
  });

  it("answers once the ticket is in the journal; the read model follows", async () => {
    const published: QueueChanged[] = [];
    const host = aHost("node-a", published);
    const queueId = newId();
    const ticketId = newId();
    const done = await host.execute(queueId, issue(ticketId));
    assert.equal(done.events[0]!.type, "ticket.issued");
    const journaled = (await store.commits.find({ queue_id: queueId }).lean()).filter((doc) => commitBodyOf(doc).events.some((e) => "ticket" in e && e.ticket.id === ticketId));
    assert.equal(journaled.length, 1);
    assert.equal((await host.ticket(queueId, ticketId))?.number, "H-001", "the owner answers it before the read model has it");
    await host.projector.idle();
    assert.equal((await store.tickets.findById(ticketId).lean())?.number, "H-001");
    assert.deepEqual(published.map((p) => [p.queue_id, p.from_version, p.version]), [[queueId, 1, 1]]);
  });

  it("fences a node that lost the queue: its later writes are refused, nothing is numbered twice", async () => {
    const [a, b] = [aHost("node-a"), aHost("node-b")];
    const queueId = newId();
    await a.execute(queueId, issue());
    await b.execute(queueId, issue()); // b takes over: its first commit, under a new epoch, fences a
    await assert.rejects(a.execute(queueId, issue()), (err: { type?: string }) => err.type === "queue_moved");
    const third = await b.execute(queueId, issue());
    assert.equal(third.events[0]!.type === "ticket.issued" && third.events[0]!.ticket.number, "H-003");
    await Promise.all([a.projector.idle(), b.projector.idle()]);
    const numbers = (await store.tickets.find({ queue_id: queueId }).lean()).map((t) => t.number).sort();
    assert.deepEqual(numbers, ["H-001", "H-002", "H-003"]);
    // a reloads on its next call and carries on after b's tickets
    const fourth = await a.execute(queueId, issue());
    assert.equal(fourth.events[0]!.type === "ticket.issued" && fourth.events[0]!.ticket.number, "H-004");
  });

  it("group-commits concurrent commands of many queues into few journal writes", async () => {
    const host = aHost("node-a");
    const queues = Array.from({ length: 10 }, newId);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => host.execute(queues[i % 10]!, issue())));
    assert.equal(results.length, 200);
    await host.projector.idle();
    const commits = (await store.commits.find({ queue_id: { $in: queues } }).lean()).filter((doc) => commitBodyOf(doc).events.length).length;
    assert.ok(commits < 100, `200 commands took ${commits} journal documents`);
    for (const queueId of queues) {
      const numbers = (await store.tickets.find({ queue_id: queueId }).lean()).map((t) => t.number).sort();
      assert.deepEqual(numbers, Array.from({ length: 20 }, (_, i) => `H-${String(i + 1).padStart(3, "0")}`));
    }
  });

  it("answers an idempotent repeat of an issue with the original, not a second ticket", async () => {
    const host = aHost("node-a");
    const queueId = newId();
    const ticketId = newId();
    const [first, again] = await Promise.all([host.execute(queueId, issue(ticketId)), host.execute(queueId, issue(ticketId))]);
    assert.equal(first.events.length + again.events.length, 1);
    await host.projector.idle();
    assert.equal(await store.tickets.countDocuments({ queue_id: queueId }), 1);
  });

  it("reloads a passivated queue with its tickets, counters and numbering", async () => {
    const host = aHost("node-a");
    const queueId = newId();
    await host.execute(queueId, { type: "open_counter", counter_id: "g1", name: "Guichet 1" });
    await host.execute(queueId, issue());
    await host.execute(queueId, issue());
    assert.equal(host.passivateIdle(0), 0, "kept in memory until its commits are projected");
    await host.projector.idle();
    assert.ok(host.passivateIdle(0) >= 1);
    const state = await host.read(queueId, (s) => s);
    assert.deepEqual([state.tickets.length, state.counters.length, state.sequence], [2, 1, 2]);
    const called = await host.execute(queueId, { type: "call_next", counter_id: "g1" });
    assert.equal(called.events[0]!.type === "ticket.called" && called.events[0]!.ticket.number, "H-001");
  });

  it("rebuilds a queue from its snapshot and the journal alone, never from the read model", async () => {
    const writer = aHost("node-a");
    const queueId = newId();
    const ticketIds = Array.from({ length: 40 }, newId);
    for (const id of ticketIds) await writer.execute(queueId, issue(id)); // enough commits for a snapshot
    await writer.projector.idle();
    const snapshot = await db.collection("queue_snapshots").findOne({ _id: queueId as never });
    assert.ok(snapshot, "a snapshot was written");
    assert.equal(snapshot.body, undefined);
    assert.ok(snapshot.deflated.buffer.length > 0, "stored deflated");
    await forgetCommitsUpTo(queueId, snapshot.seq); // the reader must start from the snapshot
    await store.tickets.deleteMany({ _id: { $in: ticketIds } }); // as if the read model were lost
    const reader = aHost("node-b");
    const state = await reader.read(queueId, (s) => s);
    assert.deepEqual(state.tickets.map((t) => t.id).sort(), [...ticketIds].sort());
    assert.equal(state.sequence, 40);
  });

  it("writes a ticket's row when it arrives and appends its end, nothing at the steps between", async () => {
    const host = aHost("node-a");
    const queueId = newId();
    const ticketId = newId();
    await host.execute(queueId, { type: "open_counter", counter_id: "g1", name: "Guichet 1" });
    await host.execute(queueId, issue(ticketId));
    await host.projector.idle();
    const arrived = await store.tickets.findById(ticketId).lean();
    await host.execute(queueId, { type: "call_next", counter_id: "g1" });
    await host.execute(queueId, { type: "start", ticket_id: ticketId });
    await host.projector.idle();
    assert.deepEqual(await readTicketRow(store.tickets, ticketId), arrived, "the open ticket is its owner's");
    assert.deepEqual(await host.tickets(queueId, [ticketId, newId()]).then((found) => found.map((t) => t?.status ?? null)), ["serving", null]);
    await host.execute(queueId, { type: "complete", ticket_id: ticketId });
    await host.projector.idle();
    assert.deepEqual(await store.tickets.findById(ticketId).lean(), arrived, "the arrival's row is not written over");
    const ended = await readTicketRow(store.tickets, ticketId);
    assert.deepEqual([ended?.status, ended?.counter_id], ["completed", "g1"]);
    const [day] = (await rowsOfDay(store, ended!.day, { organizationId: "org-host-test" })).filter((row) => row._id === ticketId);
    assert.equal(day?.status, "completed", "its day view follows the row");
  });

  it("catches up at takeover on what a node acknowledged and never projected, moving no row backwards", async () => {
    const writer = aHost("node-a");
    await writer.projector.stop(0); // as if killed between its journal appends and its projection
    const queueId = newId();
    await writer.execute(queueId, { type: "open_counter", counter_id: "g1", name: "Guichet 1" });
    const [called, waiting, ahead] = [newId(), newId(), newId()];
    for (const id of [called, waiting, ahead]) await writer.execute(queueId, issue(id));
    await writer.execute(queueId, { type: "call_next", counter_id: "g1" });
    assert.equal(await store.tickets.countDocuments({ queue_id: queueId }), 0, "nothing projected yet");
    // A row some later commit wrote (seq far ahead): a replay must not overwrite it.
    await store.tickets.create({ ...(await writer.ticket(queueId, ahead))!, _id: ahead, organization_id: "org-host-test", branch_id: null, seq: 1_000_000, status: "serving" });
    const takeover = aHost("node-b");
    await takeover.read(queueId, (s) => s);
    await takeover.projector.idle();
    const rows = new Map((await store.tickets.find({ queue_id: queueId }).lean()).map((row) => [row._id, row]));
    assert.deepEqual([rows.get(called)?.status, rows.get(called)?.counter_id, rows.get(waiting)?.status], ["called", "g1", "waiting"]);
    assert.deepEqual([rows.get(ahead)?.seq, rows.get(ahead)?.status], [1_000_000, "serving"]);
  });

  /**
   * A host whose projection fails until `unblock()`: on a day of its own (its clock's),
   * the day's view refuses the first ticket's row, a unique index on `number` held by
   * another document (a fault on the real server, after the read model's write).
   */
  async function aHostWithBlockedProjection(nodeId: string, clock: () => number, projectionPacing?: { lagMs: number; waitAtMostMs: number }) {
    const dayView = db.collection(dayCollectionName(localDay(clock(), "Africa/Dakar")));
    await dayView.createIndex({ number: 1 }, { unique: true });
    const blocker = newId();
    await dayView.insertOne({ _id: blocker as never, number: "H-001" });
    const retries: unknown[] = [];
    const counting: LoggerInstance = Object.assign(Object.create(logger), { warn: (...args: unknown[]) => void retries.push(args) });
    const host = new QueueActorHost({
      store, nodeId, idleMs: 60_000, logger: counting, clock, projectionPacing,
      loadQueue: async (id) => ({ id, organization_id: "org-host-test", branch_id: null, policy: { prefix: "H" } }),
      publish: () => undefined,
    });
    hosts.push(host);
    return { host, retries, unblock: () => dayView.deleteOne({ _id: blocker as never }) };
  }
  /** Noon of a day far ahead that no other test writes to (one more each call). */
  let dayAhead = Math.floor(Math.random() * 300) * 3;
  const aDayOfItsOwn = () => Date.UTC(2031, 0, 1) + dayAhead++ * 86_400_000 + 12 * 3_600_000;

  it("holds new tickets back while the read model lags past its bound, until the projector catches up; staff commands go on", async () => {
    let now = aDayOfItsOwn();
    const { host, retries, unblock } = await aHostWithBlockedProjection("node-paced", () => now, { lagMs: 500, waitAtMostMs: 600_000 });
    const queueId = newId();
    await host.execute(queueId, { type: "open_counter", counter_id: "g1", name: "Guichet 1" });
    await host.execute(queueId, issue());
    await eventually(async () => retries.length, (n) => n > 0);
    now += 2_000; // the first commit is now 2 s behind in the read model
    const second = newId();
    let acknowledged = false;
    const answered = host.execute(queueId, issue(second)).then((done) => ((acknowledged = true), done));
    const seen = retries.length;
    await eventually(async () => retries.length, (n) => n >= seen + 2); // two more projection attempts, both failed
    assert.equal(acknowledged, false, "not acknowledged while the projector is that far behind");
    const called = await host.execute(queueId, { type: "call_next", counter_id: "g1" });
    assert.equal(called.events[0]!.type, "ticket.called", "an agent's call is not held back");
    assert.equal(await store.commits.countDocuments({ queue_id: queueId }), 3, "the counter, the first ticket and the call; not the second ticket");
    await unblock();
    assert.equal((await answered).events[0]!.type, "ticket.issued");
    await host.projector.idle();
    assert.equal((await store.tickets.findById(second).lean())?.number, "H-002");
  });

  it("appends anyway once the bounded wait is over: a projector that keeps failing never stops the journal", async () => {
    let now = aDayOfItsOwn();
    const { host, retries, unblock } = await aHostWithBlockedProjection("node-paced-bounded", () => now, { lagMs: 500, waitAtMostMs: 50 });
    const queueId = newId();
    await host.execute(queueId, issue());
    await eventually(async () => retries.length, (n) => n > 0);
    now += 2_000;
    const done = await host.execute(queueId, issue());
    assert.equal(done.events[0]!.type, "ticket.issued");
    assert.equal(await store.commits.countDocuments({ queue_id: queueId }), 2, "both in the journal, the read model still behind");
    await unblock();
    await host.projector.idle();
  });

  it("writes a ticket's views once a view write that failed after the read model's succeeds", async () => {
    const at = aDayOfItsOwn();
    const { host, retries, unblock } = await aHostWithBlockedProjection("node-views", () => at);
    const [queueId, ticketId, userId] = [newId(), newId(), newId()];
    await host.execute(queueId, { ...issue(ticketId), user_id: userId });
    await eventually(async () => retries.length, (n) => n > 0); // the projector's "retrying"
    assert.equal((await store.tickets.findById(ticketId).lean())?.number, "H-001", "the read model took the row");
    await unblock();
    await host.projector.idle();
    const ofDay = await rowsOfDay(store, localDay(at, "Africa/Dakar"), { organizationId: "org-host-test" });
    assert.equal(ofDay.find((row) => row._id === ticketId)?.number, "H-001", "in the day's view");
    assert.deepEqual((await ticketsOfUser(store, userId)).map((row) => row._id), [ticketId], "in the citizen's view");
  });

  it("reads a journal and a snapshot written before their bodies were packed into one string", async () => {
    const queueId = newId();
    const [first, second] = [newId(), newId()];
    const writer = aHost("node-a");
    await writer.execute(queueId, issue(first));
    await writer.execute(queueId, issue(second));
    await writer.projector.idle();
    // Both commits rewritten as the earlier versions stored them, and a snapshot after the first.
    const stored = await store.commits.find({ queue_id: queueId }).sort({ seq: 1 }).lean();
    const raw = db.collection("queue_commits");
    for (const { body, ...head } of stored) await raw.replaceOne({ _id: head._id as never }, { ...head, ...commitBodyOf({ ...head, body }) });
    const firstBody = commitBodyOf(stored[0]!);
    const firstTickets = firstBody.events.flatMap((e) => ("ticket" in e ? [e.ticket] : []));
    await db.collection("queue_snapshots").replaceOne({ _id: queueId as never }, { seq: 1, epoch: 1, state: { ...firstBody.state, tickets: firstTickets } }, { upsert: true });
    const state = await aHost("node-b").read(queueId, (s) => s);
    assert.deepEqual(state.tickets.map((t) => t.id), [first, second]);
    assert.equal(state.sequence, 2);
  });

  it("reads a snapshot written before snapshots were deflated, as one JSON string", async () => {
    const queueId = newId();
    const writer = aHost("node-a");
    for (let i = 0; i < 20; i++) await writer.execute(queueId, issue()); // enough commits for a snapshot
    await writer.projector.idle();
    const { seq, epoch } = (await store.snapshots.findById(queueId).lean())!;
    const state = await writer.read(queueId, (s) => s);
    await db.collection("queue_snapshots").replaceOne({ _id: queueId as never }, { seq, epoch, body: JSON.stringify(state) });
    await forgetCommitsUpTo(queueId, seq);
    const read = await aHost("node-b").read(queueId, (s) => s);
    assert.deepEqual([read.tickets.map((t) => t.id), read.sequence], [state.tickets.map((t) => t.id), 20]);
  });

  it("fails a commit loudly when its journal document is invalid, and answers nothing as durable", async () => {
    const queueId = newId();
    const invalid = { _id: `${queueId}:1`, queue_id: queueId, seq: 1, epoch: 1, committed_at: new Date(), body: "{}" } as unknown as CommitDoc;
    await assert.rejects(append(store, [invalid]), /node_id|validation/i);
    assert.equal(await store.commits.countDocuments({ queue_id: queueId }), 0);
  });
});
