// Three SmartQueue processes over the real NATS server and one MongoDB-compatible server.
// Queues are sharded over the nodes; one node is killed with SIGKILL while tickets are
// being issued. Nothing acknowledged may be lost, no number used twice, and the killed
// node's queues must be served again by a survivor. How soon is printed, not asserted: a
// shared machine makes any bound flaky; `npm run bench` measures failover.
import assert from "node:assert/strict";
import { aClusterPerSuite, queueOwners, type ClusterNode } from "../support/cluster.ts";
import { aCitizen, anAdministeredOrganization, anAgent, type Session } from "../support/fixtures.ts";
import { closeClients, connect, queuePath, versionAfter, type ConnectOptions, type LiveClient } from "../support/live-client.ts";
import { get, post } from "../support/http.ts";
import { eventually } from "../support/eventually.ts";

const QUEUE_COUNT = 30;
const THINK_MS = 500;

/**
 * A lobby screen, as a display behaves: when its connection drops it connects again and
 * starts from a fresh snapshot. `sessions` keeps every connection's messages, each one
 * checked for gaps on its own. Under load a connection to a cluster node is now and then
 * closed (1006) soon after its upgrade — an open problem noted in the README.
 */
class Screen {
  readonly sessions: LiveClient[] = [];
  private stopped = false;

  constructor(private readonly path: string, private readonly options: ConnectOptions) {}

  async open(): Promise<void> {
    const client = await connect(this.path, this.options);
    this.sessions.push(client);
    // A reconnection that fails shows up as a screen short of the expected version.
    client.socket.once("close", () => void (this.stopped || this.open().catch(() => undefined)));
    await client.next("snapshot");
  }

  /** The newest version the screen has shown, over all its connections. */
  get version(): number {
    return Math.max(0, ...this.sessions.map((session) => versionAfter(session.messages) ?? 0));
  }

  get deltas(): number {
    return this.sessions.flatMap((session) => session.messages).filter((m) => m.type === "delta").length;
  }

  stop(): void {
    this.stopped = true;
  }
}

interface Attempt {
  queueId: string;
  startedAt: number;
  endedAt: number;
  ticket?: { id: string; number: string };
  failure?: string;
}

describe("queue engine on three nodes", function () {
  this.timeout(120_000);
  after(() => closeClients()); // before the nodes stop
  // The queue engine and what reaches it, as an operator would split a cluster: no
  // scheduler or notifications here, whose start-up jobs and per-ticket writes would
  // load the two cores this failover is timed on.
  const cluster = aClusterPerSuite(["node-1", "node-2", "node-3"], { SERVICES: "api,accounts,business,queues,live" }, { settleMs: 1000 });

  it("loses nothing and serves a killed node's queues again when it is killed mid-issuance", async () => {
    const { nodes, journal } = cluster;
    const [gateway, victim, survivor] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const via = (node: ClusterNode, token: string) => ({ token, baseUrl: node.baseUrl });
    const { org, admin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const queues: Array<{ id: string; counter: string }> = [];
    for (let i = 0; i < QUEUE_COUNT; i++) {
      const queue = await post("/api/queues/queues/", { organization_id: org.id, name: `File ${i}`, prefix: "M" }, via(gateway, admin.access));
      assert.equal(queue.status, 201, JSON.stringify(queue.body));
      const counter = await post(`/api/queues/queues/${queue.body.id}/counters/`, { name: "Guichet" }, via(gateway, admin.access));
      assert.equal(counter.status, 201, JSON.stringify(counter.body));
      queues.push({ id: queue.body.id, counter: counter.body.id });
    }
    const owners = await queueOwners(journal, queues.map((q) => q.id));
    const victimQueues = queues.filter((q) => owners.get(q.id) === victim.id).map((q) => q.id);
    assert.ok(victimQueues.length > 0, `node-2 owns none of ${QUEUE_COUNT} queues: ${[...new Set(owners.values())]}`);
    assert.equal(new Set(owners.values()).size, 3, "the queues are spread over the three nodes");

    // A screen on one node watches a queue owned by another.
    const watched = queues.find((q) => owners.get(q.id) === gateway.id)!;
    const screen = new Screen(queuePath(watched.id), { token: agent.access, port: survivor.wsPort });
    await screen.open();
    const watchedFrom = screen.version;

    // Citizens issue tickets to every queue through the two gateways that stay up.
    const citizens: Session[] = [];
    for (let i = 0; i < 6; i++) citizens.push(await aCitizen());
    const attempts: Attempt[] = [];
    let running = true;
    const worker = async (queueId: string, n: number) => {
      for (let i = 0; running; i++) {
        const startedAt = Date.now();
        const through = (n + i) % 2 === 0 ? gateway : survivor;
        const reply = await post("/api/queues/tickets/", { queue_id: queueId }, via(through, citizens[n % citizens.length]!.access)).catch(() => null);
        const attempt: Attempt = { queueId, startedAt, endedAt: Date.now() };
        if (reply?.status === 201) attempt.ticket = { id: reply.body.id, number: reply.body.number };
        else attempt.failure = `${reply?.status} ${JSON.stringify(reply?.body)}`;
        attempts.push(attempt);
        // A busy office, not a saturation test: each kiosk issues a few tickets a second.
        await new Promise((resolve) => setTimeout(resolve, THINK_MS));
      }
    };
    const workers = queues.map((q, n) => worker(q.id, n));
    // Killed mid-issuance: once every queue has taken tickets (activations are slower on a
    // loaded machine), and a moment more.
    const servedSoFar = () => new Set(attempts.filter((a) => a.ticket).map((a) => a.queueId)).size;
    const warmDeadline = Date.now() + 15_000;
    while (servedSoFar() < QUEUE_COUNT && Date.now() < warmDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(servedSoFar(), QUEUE_COUNT, "every queue takes tickets before the kill");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = Date.now();
    victim.child.kill("SIGKILL");
    // Issuance goes on until every queue has taken a ticket after the kill (the victim's
    // queues once another node owns them), however long a loaded machine makes that.
    const servedAfterKill = () => new Set(attempts.filter((a) => a.ticket && a.startedAt > killedAt).map((a) => a.queueId)).size;
    const failoverDeadline = Date.now() + 30_000;
    while (servedAfterKill() < QUEUE_COUNT && Date.now() < failoverDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
    running = false;
    await Promise.all(workers);

    const acked = attempts.filter((a) => a.ticket);
    const watchedTickets = acked.filter((a) => a.queueId === watched.id).length;
    // Every ticket of that queue reached the screen (one version per issue), through deltas.
    const deadline = Date.now() + 8000;
    while (screen.version < watchedFrom + watchedTickets && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    screen.stop();
    assert.ok(screen.version >= watchedFrom + watchedTickets, `the screen shows version ${screen.version}, expected ${watchedFrom + watchedTickets}`);
    assert.ok(screen.deltas > 0, "the screen was fed deltas, not only snapshots");
    // Every queue took tickets after the kill too. (How many is a benchmark's question: on
    // a shared 2-core machine the count here ranged from 220 to 400.)
    for (const queue of queues) {
      assert.ok(acked.some((a) => a.queueId === queue.id && a.startedAt > killedAt), `queue ${queue.id} took no ticket after the kill`);
    }

    // Every acknowledged ticket is in MongoDB, in its queue, with its number, once the
    // projectors (the survivors' replays of the dead node's last commits among them) caught up.
    const stored = await eventually(
      () => journal.tickets.find({ queue_id: { $in: queues.map((q) => q.id) } }).lean(),
      (rows) => rows.length >= acked.length,
      15_000,
    );
    const byId = new Map(stored.map((t) => [t._id, t]));
    for (const { queueId, ticket } of acked) {
      const doc = byId.get(ticket!.id);
      assert.ok(doc, `acknowledged ticket ${ticket!.id} is not in MongoDB`);
      assert.deepEqual([doc.queue_id, doc.number, doc.status], [queueId, ticket!.number, "waiting"]);
    }
    // No number used twice in a queue.
    for (const queue of queues) {
      const numbers = stored.filter((t) => t.queue_id === queue.id).map((t) => t.number);
      assert.equal(new Set(numbers).size, numbers.length, `a number was used twice in ${queue.id}`);
    }

    // The killed node's queues were served again: per queue, the first success that ended
    // well after the kill (SIGKILL is immediate, so a survivor served it).
    const timeline = (queueId: string) =>
      attempts
        .filter((a) => a.queueId === queueId && a.endedAt > killedAt - 200)
        .slice(0, 3)
        .map((a) => `${a.startedAt - killedAt}..${a.endedAt - killedAt} ms ${a.ticket ? "ok" : a.failure}`)
        .join(" | ");
    const failovers = victimQueues.map((queueId) => {
      const first = attempts.find((a) => a.queueId === queueId && a.ticket && a.endedAt > killedAt + 200);
      assert.ok(first, `queue ${queueId} was never served after the kill: ${timeline(queueId)}`);
      return first.endedAt - killedAt;
    });

    // A survivor owns them now: their snapshot agrees with MongoDB, and an agent can call.
    for (const queueId of victimQueues) {
      const waiting = stored.filter((t) => t.queue_id === queueId && t.status === "waiting").length;
      const status = await get(`/api/queues/queues/${queueId}/status/`, via(survivor, agent.access));
      assert.equal(status.body.waiting_count, waiting);
    }
    const q = queues.find((queue) => queue.id === victimQueues[0])!;
    const called = await post(`/api/queues/queues/${q.id}/call-next/`, { counter_id: q.counter }, via(survivor, agent.access));
    assert.equal(called.status, 200, JSON.stringify(called.body));
    assert.equal(called.body.number, "M-001");
    console.log(`      ${acked.length} tickets acknowledged; ${victimQueues.length} queues failed over, after ${Math.min(...failovers)}–${Math.max(...failovers)} ms; screen connections: ${screen.sessions.length}`);
  });
});
