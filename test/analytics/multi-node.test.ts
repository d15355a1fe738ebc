// Analytics on two SmartQueue processes over the real NATS server: every node hears every
// queue's changes, yet each queue's figures are counted once — by its owner — whichever
// node the commands came through and whichever node answers; and when a node stops, the
// queues it owned go on being counted, once, by the one that takes them over.
import assert from "node:assert/strict";
import { aClusterPerSuite, queueOwners, type ClusterNode } from "../support/cluster.ts";
import { eventually } from "../support/eventually.ts";
import { aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";

const QUEUES = 6;
const MAX_QUEUES = 30;
const TICKETS_EACH = 3;

describe("analytics on two nodes", function () {
  this.timeout(180_000);
  const cluster = aClusterPerSuite(["analytics-a", "analytics-b"], { SERVICES: "api,accounts,business,queues,analytics" });

  it("counts each queue's tickets once, through either node, before and after a node stops", async () => {
    const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
    const via = (node: ClusterNode, who: Session) => ({ token: who.access, baseUrl: node.baseUrl });
    const { org, admin } = await anAdministeredOrganization();
    const agent = await anAgent(org.id);
    // Both nodes in each other's view first: until then a's queues would all be its own.
    const platformAdmin = await aPlatformAdmin();
    await eventually(() => get("/api/analytics/performance/", via(a, platformAdmin)), (r) => r.status === 200 && r.body.cluster.reachable === 2, 60_000);
    const queues: Array<{ id: string; counter: string }> = [];
    const spread = async () => new Set((await queueOwners(cluster.journal, queues.map((q) => q.id))).values()).size === 2;
    // A queue's owner is its shard's: more are made until both nodes own some.
    while (queues.length < QUEUES || !(await spread())) {
      assert.ok(queues.length < MAX_QUEUES, "the queues are spread over both nodes");
      const queue = await post("/api/queues/queues/", { organization_id: org.id, name: `File ${queues.length}`, prefix: "N" }, via(a, admin));
      assert.equal(queue.status, 201, JSON.stringify(queue.body));
      const counter = await post(`/api/queues/queues/${queue.body.id}/counters/`, { name: "Guichet" }, via(a, admin));
      queues.push({ id: queue.body.id, counter: counter.body.id });
    }

    /** Tickets issued in every queue, and one of them served, through the nodes in turn. */
    const aRound = async (nodes: ClusterNode[]) => {
      const citizen = await aCitizen();
      for (const [n, q] of queues.entries()) {
        for (let t = 0; t < TICKETS_EACH; t++) {
          const issued = await post("/api/queues/tickets/", { queue_id: q.id }, via(nodes[(n + t) % nodes.length]!, citizen));
          assert.equal(issued.status, 201, JSON.stringify(issued.body));
        }
        const node = nodes[n % nodes.length]!;
        const called = await post(`/api/queues/queues/${q.id}/call-next/`, { counter_id: q.counter }, via(node, agent));
        assert.equal(called.status, 200, JSON.stringify(called.body));
        for (const step of ["start", "complete"]) assert.equal((await post(`/api/queues/tickets/${called.body.id}/${step}/`, {}, via(node, agent))).status, 200);
      }
    };
    const counted = (node: ClusterNode, issued: number, served: number) =>
      Promise.all(queues.map((q) => eventually(() => get(`/api/analytics/queue-stats/?queue_id=${q.id}`, via(node, admin)), (r) => r.status === 200 && r.body.totals.issued >= issued && r.body.totals.served >= served)));
    const figures = (s: { body: { totals: { issued: number; called: number; served: number; wait: { count: number } } } }) => [s.body.totals.issued, s.body.totals.called, s.body.totals.served, s.body.totals.wait.count];

    await aRound([a, b]);
    for (const node of [a, b]) {
      const stats = await counted(node, TICKETS_EACH, 1);
      assert.deepEqual(stats.map(figures), queues.map(() => [TICKETS_EACH, 1, 1, 1]), `as ${node.id} answers`);
    }

    // b stops (its buffered figures are written as it stops); a takes over b's queues.
    b.child.kill("SIGTERM");
    await b.exited;
    await aRound([a]);
    const stats = await counted(a, 2 * TICKETS_EACH, 2);
    assert.deepEqual(stats.map(figures), queues.map(() => [2 * TICKETS_EACH, 2, 2, 2]));
    const dashboard = await get("/api/analytics/dashboard/", via(a, admin));
    assert.deepEqual([dashboard.body.today.issued, dashboard.body.today.served, dashboard.body.queues_counted], [queues.length * 2 * TICKETS_EACH, queues.length * 2, queues.length]);
  });
});
