// A rolling restart of the live nodes: two nodes running the live service behind one
// address (a TCP failover proxy stands in for the load balancer), the queues on a third.
// A screen on the node being restarted moves to the other and resumes from the version it
// holds, with the deltas it missed and no snapshot: what it shows never jumps or goes
// blank. The restarted node then takes new screens again.
import assert from "node:assert/strict";
import { aFailoverProxy, type FailoverProxy } from "../support/failover-proxy.ts";
import { aNamespace, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";
import { closeClients, connectConfirmed, queuePath } from "../support/live-client.ts";
import { aQueueThrough } from "./live-fixtures.ts";

/** How long a screen may take to catch up: three nodes share this machine's two cores with the run. */
const SETTLE_MS = 30_000;

describe("a rolling restart of two live nodes behind one address", function () {
  this.timeout(180_000);
  const nodes: ClusterNode[] = [];
  let proxy: FailoverProxy | undefined;
  after(async () => {
    closeClients();
    await proxy?.close();
    await Promise.all(nodes.map(stopClusterNode));
  });

  it("moves a restarted node's screens to the other without a snapshot or a missed change, then takes screens again", async () => {
    const namespace = aNamespace();
    const core = await startClusterNode("roll-core", namespace, { SERVICES: "api,accounts,business,queues" });
    nodes.push(core);
    const liveNode = async (id: string, wsPort?: number) => {
      const node = await startClusterNode(id, namespace, { SERVICES: "api,live", ...(wsPort ? { WS_PORT: String(wsPort) } : {}) });
      nodes.push(node);
      return node;
    };
    const first = await liveNode("roll-a");
    const second = await liveNode("roll-b");
    proxy = await aFailoverProxy([first.wsPort, second.wsPort]);

    const queue = await aQueueThrough(core.baseUrl, "R", SETTLE_MS);
    const { agent, issue, upToDate } = queue;

    // One screen reaches the first node through the shared address, another is on the second.
    // Each socket is confirmed with a ping, as apps are told to (README, Known limits).
    const moving = await connectConfirmed(queuePath(queue.id), { token: agent.access, port: proxy.port });
    assert.equal(proxy.routes.at(-1), first.wsPort);
    const staying = await connectConfirmed(queuePath(queue.id), { token: agent.access, port: second.wsPort });
    await issue();
    await upToDate(moving);
    await upToDate(staying);

    // The first node is stopped as an operator restarts it: its screens are told to go.
    await stopClusterNode(first);
    nodes.splice(nodes.indexOf(first), 1);
    assert.equal(await moving.closed(SETTLE_MS), 1001);
    const held = moving.version!;
    await issue();
    await issue();
    await upToDate(staying);

    const moved = await connectConfirmed(queuePath(queue.id), { token: agent.access, port: proxy.port, since: held });
    assert.equal(proxy.routes.at(-1), second.wsPort);
    await upToDate(moved);
    assert.deepEqual(moved.messages[0], { type: "resumed", queue_id: queue.id, version: held });
    assert.equal(moved.messages.filter((m) => m.type === "snapshot").length, 0, "resumed from deltas, not a snapshot");

    // Restarted on its address, the first node takes screens again.
    await liveNode("roll-a2", first.wsPort);
    const newcomer = await connectConfirmed(queuePath(queue.id), { token: agent.access, port: proxy.port });
    assert.equal(proxy.routes.at(-1), first.wsPort);
    await upToDate(newcomer);
    await issue();
    await upToDate(newcomer);
    await upToDate(moved);
  });
});
