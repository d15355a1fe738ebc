// A node killed without stopping takes with it the changes it had counted and not yet
// written (ANALYTICS_FLUSH_MS). The node that counts the queue next finds them missing —
// its first change of the queue does not follow the queue's mark — and reads them back
// from the journal: every ticket counted once, over three node processes on the real
// NATS server, one stopped cleanly, one killed.
import assert from "node:assert/strict";
import { JOURNAL_READ_BACK_MAX } from "../../actors/host/journal.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { analyticsStore } from "../../services/analytics/store.ts";
import { aNamespace, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, anAdministeredOrganization, anAgent, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { mongoUrl, system } from "../support/system.ts";

const SERVICES = "api,accounts,business,queues,analytics";
const TICKETS_EACH_ROUND = 3;

describe("analytics after a node is killed", function () {
  this.timeout(180_000);
  const nodes: ClusterNode[] = [];
  after(() => Promise.all(nodes.map(stopClusterNode)));

  it("recounts from the journal what the killed node had not written, and nothing twice", async () => {
    const namespace = aNamespace();
    const start = async (id: string, env: Record<string, string> = {}) => {
      const node = await startClusterNode(id, namespace, { SERVICES, ...env });
      nodes.push(node);
      return node;
    };
    const { org, admin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    const via = (node: ClusterNode, who: Session) => ({ token: who.access, baseUrl: node.baseUrl });

    const first = await start("counted-then-stopped");
    const queue = await post("/api/queues/queues/", { organization_id: org.id, name: "Caisse", prefix: "K" }, via(first, admin));
    assert.equal(queue.status, 201, JSON.stringify(queue.body));
    const counter = await post(`/api/queues/queues/${queue.body.id}/counters/`, { name: "Guichet" }, via(first, admin));
    /** Tickets issued, and one of them called, started and completed, through a node. */
    const aRound = async (node: ClusterNode) => {
      const citizen = await aCitizen();
      for (let t = 0; t < TICKETS_EACH_ROUND; t++) assert.equal((await post("/api/queues/tickets/", { queue_id: queue.body.id }, via(node, citizen))).status, 201);
      const called = await post(`/api/queues/queues/${queue.body.id}/call-next/`, { counter_id: counter.body.id }, via(node, agent));
      assert.equal(called.status, 200, JSON.stringify(called.body));
      for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${called.body.id}/${step}/`, {}, via(node, agent))).status, 200);
    };
    const totals = (node: ClusterNode) => get(`/api/analytics/queue-stats/?queue_id=${queue.body.id}`, via(node, admin));
    const figures = (r: Awaited<ReturnType<typeof totals>>) => [r.body.totals.issued, r.body.totals.called, r.body.totals.served, r.body.totals.wait.count];

    // A node that stops writes what it counted, and the queue's mark with it.
    await aRound(first);
    await stopClusterNode(first);

    // One that only writes every minute is killed before it does.
    const killed = await start("killed", { ANALYTICS_FLUSH_MS: "60000" });
    await aRound(killed);
    assert.deepEqual(figures(await totals(killed)), [TICKETS_EACH_ROUND, 1, 1, 1], "the killed node's round is not written yet");
    killed.child.kill("SIGKILL");
    await killed.exited;

    const db = await connectMongo(mongoUrl());
    try {
      const mark = await analyticsStore(db).marks.findById(queue.body.id).lean();
      assert.ok(mark, "the stopped node wrote the queue's mark");

      const next = await start("takes-over");
      await aRound(next);
      const counted = await eventually(() => totals(next), (r) => r.status === 200 && r.body.totals.issued >= 3 * TICKETS_EACH_ROUND && r.body.totals.served >= 3, 30_000);
      assert.deepEqual(figures(counted), [3 * TICKETS_EACH_ROUND, 3, 3, 3], "every round counted once");
      const moved = await eventually(() => analyticsStore(db).marks.findById(queue.body.id).lean(), (m) => (m?.seq ?? 0) > mark.seq, 30_000);
      assert.ok(moved!.version > mark.version);
    } finally {
      await db.close();
    }
  });

  it("reads back only a valid range of one queue's journal (queues.journalCommits, internal)", async () => {
    const call = (params: object) => system().node.broker.call("queues.journalCommits", params);
    const refused = async (params: object, path: string) =>
      assert.rejects(call(params), (err: { code?: number; type?: string; data?: { fields?: Array<{ path: string }> } }) => {
        assert.deepEqual([err.code, err.type], [400, "validation_failed"]);
        assert.ok(err.data?.fields?.some((f) => f.path.includes(path)), JSON.stringify(err.data));
        return true;
      });
    const queue = "0123456789abcdef01234567";
    await refused({ queue_id: "not-a-queue", from_seq: 1, to_seq: 2 }, "queue_id");
    await refused({ queue_id: queue, from_seq: 0, to_seq: 2 }, "from_seq");
    await refused({ queue_id: queue, from_seq: 5, to_seq: 4 }, "to_seq");
    await refused({ queue_id: queue, from_seq: 1, to_seq: 1 + JOURNAL_READ_BACK_MAX }, "to_seq");
    assert.deepEqual(await call({ queue_id: queue, from_seq: 1, to_seq: 3 }), [], "a queue with no journal has nothing to read back");
  });
});
