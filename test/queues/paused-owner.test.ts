// A queue's owner paused (SIGSTOP: a long GC pause, a frozen VM) for longer than the
// failure timeout. The cluster declares it dead; requests already sent to it must be
// answered or re-routed, so its queues are served again while it is still paused, not
// when it wakes. When it wakes, what it still held is stale; the journal's fence keeps it
// from writing over the new owner: nothing lost, no number used twice.
import assert from "node:assert/strict";
import { aClusterPerSuite, queueOwners, type ClusterNode } from "../support/cluster.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { eventually } from "../support/eventually.ts";

const QUEUE_COUNT = 12;
/** How long the owner may stay paused while we wait for its queues to be served elsewhere. */
const PAUSE_CAP_MS = 30_000;

describe("a paused queue owner", function () {
  this.timeout(120_000);
  const cluster = aClusterPerSuite(["pause-1", "pause-2", "pause-3"], { SERVICES: "api,accounts,business,queues" });

  it("has its queues served by another node while it is paused, and loses or renumbers nothing when it wakes", async () => {
    const { nodes, journal } = cluster;
    const [gateway, ...others] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const { org, admin } = await anAdministeredOrganization();
    const queues: string[] = [];
    for (let i = 0; i < QUEUE_COUNT; i++) {
      const queue = await post("/api/queues/queues/", { organization_id: org.id, name: `File ${i}`, prefix: "P" }, { token: admin.access, baseUrl: gateway.baseUrl });
      queues.push(queue.body.id);
    }
    const citizen = await aCitizen();
    const issue = (queueId: string, via: ClusterNode) => post("/api/queues/tickets/", { queue_id: queueId }, { token: citizen.access, baseUrl: via.baseUrl }).catch(() => null);
    for (const queueId of queues) assert.equal((await issue(queueId, gateway))?.status, 201);
    const owners = await queueOwners(journal, queues);
    const ownedBy = (node: ClusterNode) => queues.filter((q) => owners.get(q) === node.id);
    // The ring spreads 12 queues over three nodes, and one node gets none in about one run in
    // 130 ((2/3)^12; CI at 6f3ae3d met one): the node paused is whichever of the two others owns most.
    const [paused, other] = others.sort((a, b) => ownedBy(b).length - ownedBy(a).length) as [ClusterNode, ClusterNode];
    const pausedQueues = ownedBy(paused);
    assert.ok(pausedQueues.length > 0, `${paused.id} owns some queues`);

    paused.child.kill("SIGSTOP");
    const stoppedAt = Date.now();
    const acked: Array<{ queueId: string; id: string; number: string }> = [];
    // Through the two gateways still up, until every paused node's queue took a ticket.
    const servedDuringPause = new Set<string>();
    while (servedDuringPause.size < pausedQueues.length && Date.now() - stoppedAt < PAUSE_CAP_MS) {
      const replies = await Promise.all(pausedQueues.map(async (queueId, i) => ({ queueId, reply: await issue(queueId, i % 2 ? gateway : other) })));
      for (const { queueId, reply } of replies) {
        if (reply?.status !== 201) continue;
        acked.push({ queueId, id: reply.body.id, number: reply.body.number });
        servedDuringPause.add(queueId);
      }
    }
    const servedAfterMs = Date.now() - stoppedAt;
    paused.child.kill("SIGCONT");
    assert.equal(servedDuringPause.size, pausedQueues.length, `only ${servedDuringPause.size} of ${pausedQueues.length} queues served in ${PAUSE_CAP_MS} ms of pause`);
    console.log(`      ${pausedQueues.length} queues of the paused node served again after ${servedAfterMs} ms of pause`);

    // Awake, it holds stale actors; a ticket now goes wherever the ring says, numbered on.
    for (const queueId of pausedQueues) {
      const reply = await eventually(() => issue(queueId, gateway), (r) => r?.status === 201, 15_000);
      acked.push({ queueId, id: reply!.body.id, number: reply!.body.number });
    }
    const rows = await eventually(() => journal.tickets.find({ queue_id: { $in: pausedQueues } }).lean(), (r) => r.length >= acked.length + pausedQueues.length, 15_000);
    const byId = new Map(rows.map((row) => [row._id, row]));
    for (const ticket of acked) assert.equal(byId.get(ticket.id)?.number, ticket.number, `acknowledged ticket ${ticket.id} is missing or renumbered`);
    for (const queueId of pausedQueues) {
      const numbers = rows.filter((row) => row.queue_id === queueId).map((row) => row.number);
      assert.equal(new Set(numbers).size, numbers.length, `a number was used twice in ${queueId}`);
    }
  });
});
