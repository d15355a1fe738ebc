import assert from "node:assert/strict";
import { freePort } from "../../scripts/mongo-server.ts";
import { DROPPED, SOCKETS } from "../../services/live/metrics.ts";
import { anAdministeredOrganization } from "../support/fixtures.ts";
import { aQueue } from "../support/queues.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { closeClients, connect, queuePath } from "../support/live-client.ts";

/** ~16 KB per change, so a client that stops reading falls behind within a few hundred. */
const PADDING = "x".repeat(16 * 1024);
const MAX_CHANGES = 2000;

function metricValue(node: TestSystem, name: string): number {
  return node.node.broker.metrics.getMetric(name)?.get({ channel: "queue" })?.value ?? 0;
}

/** A change as the queue engine broadcasts it: one event, one version. */
function aChange(queue: { id: string; organization_id: string }, version: number) {
  const at = Date.now();
  return {
    queue_id: queue.id,
    organization_id: queue.organization_id,
    branch_id: null,
    from_version: version,
    version,
    events: [{ type: "queue.paused", queue_id: queue.id, version, at, note: PADDING }],
    next: [],
    sent_at: at,
  };
}

/** Metrics are updated by the server's own handlers, a moment after the client sees the event. */
async function eventually(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("live backpressure", () => {
  let ownNode: TestSystem | undefined;
  afterEach(async () => {
    closeClients();
    await stopExtraSystem(ownNode);
  });

  it("drops a client that stops reading while a fast one on the same queue receives every delta, and counts it", async () => {
    // A node of its own, with metrics on; the queue is only a record until this node loads it.
    const node = (ownNode = await startExtraSystem({ METRICS_PORT: String(await freePort()) }));
    const { org, admin } = await anAdministeredOrganization();
    const queue = await aQueue(admin, org.id);
    const on = { token: admin.access, port: node.config.wsPort };
    const fast = await connect(queuePath(queue.id), on);
    const slow = await connect(queuePath(queue.id), on);
    let version = (await slow.next("snapshot")).version;
    await fast.next("snapshot");
    await eventually(() => metricValue(node, SOCKETS) === 2, "both sockets counted");
    slow.tcp.pause();

    // One change per tick, so the coalescer does not merge them into one message.
    while (metricValue(node, DROPPED) === 0 && version < MAX_CHANGES) {
      await node.node.broker.broadcast("queue.changed", aChange(queue, ++version));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(metricValue(node, DROPPED), 1, `still not dropped after ${version} changes`);
    for (let i = 0; i < 10; i++) await node.node.broker.broadcast("queue.changed", aChange(queue, ++version));

    await fast.until(() => fast.version === version, `every delta up to ${version}`);
    assert.equal(fast.closeCode, null);
    await eventually(() => metricValue(node, SOCKETS) === 1, "the dropped socket uncounted");
    slow.tcp.resume();
    assert.equal(await slow.closed(), 1006);
    assert.ok(slow.version! < version, "the slow client was cut off, not served everything");
  });
});
