import assert from "node:assert/strict";
import { inWaves } from "../../services/live/hand-over.ts";
import { aNamespace, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";
import { closeClients, connectConfirmed, queuePath } from "../support/live-client.ts";
import { aQueueThrough } from "./live-fixtures.ts";

/** How long a screen may take to catch up: three nodes share this machine's two cores with the run. */
const SETTLE_MS = 30_000;

/** Sockets as the server keeps them: ended ones leave the set when the test says they closed. */
function someSockets(count: number) {
  const open = new Set(Array.from({ length: count }, (_, i) => ({ id: i, ending: false, closed: false })));
  const ended: number[] = [];
  const end = (peer: { id: number; ending: boolean }) => {
    peer.ending = true;
    ended.push(peer.id);
  };
  return { open, ended, end };
}

describe("a stopping live node's hand-over (services/live/hand-over.ts)", () => {
  it("closes its sockets so many per second, in waves, and ends once none is left", async () => {
    const { open, ended, end } = someSockets(7);
    const pauses: number[] = [];
    const endedAtEachPause: number[] = [];
    await inWaves(open, 40, end, async (ms) => {
      pauses.push(ms);
      endedAtEachPause.push(ended.length);
    });
    assert.deepEqual(endedAtEachPause, [2, 4, 6], "2 sockets a wave, 20 waves a second");
    assert.deepEqual(pauses, [50, 50, 50]);
    assert.deepEqual(ended, [0, 1, 2, 3, 4, 5, 6], "each once");
  });

  it("paces a rate below the wave rate by waiting longer between single sockets", async () => {
    const { open, ended, end } = someSockets(3);
    const pauses: number[] = [];
    await inWaves(open, 2, end, async (ms) => void pauses.push(ms));
    assert.deepEqual(pauses, [500, 500, 500]);
    assert.equal(ended.length, 3);
  });

  it("closes them all at once at 0, and skips sockets already closing or closed", async () => {
    const { open, ended, end } = someSockets(5);
    const [first, second] = open;
    first!.ending = true;
    second!.closed = true;
    let paused = false;
    await inWaves(open, 0, end, async () => void (paused = true));
    assert.deepEqual(ended, [2, 3, 4]);
    assert.equal(paused, false);
  });

  it("does not wait for sockets that close as they are ended", async () => {
    const { open, ended } = someSockets(4);
    let pauses = 0;
    await inWaves(open, 40, (peer) => (ended.push(peer.id), open.delete(peer)), async () => void pauses++);
    assert.deepEqual(ended, [0, 1, 2, 3]);
    assert.equal(pauses, 2, "a pause after each full wave; the set is empty after the second");
  });
});

// A live node handed over to its successor on the same WS_PORT, as README's operations
// section tells an operator to restart the only live node of a host: the successor
// starts while the old node still listens (uWebSockets.js listens with SO_REUSEPORT),
// then the old node is stopped and closes its sockets in waves; every screen comes back
// through the same port to the successor and resumes from the version it holds.
describe("a live node handed over to a successor on the same port", function () {
  this.timeout(180_000);
  const nodes: ClusterNode[] = [];
  after(async () => {
    closeClients();
    await Promise.all(nodes.map(stopClusterNode));
  });

  it("moves every screen to the successor, resumed without a snapshot, and keeps them up to date", async () => {
    const namespace = aNamespace();
    const core = await startClusterNode("hand-core", namespace, { SERVICES: "api,accounts,business,queues" });
    nodes.push(core);
    const liveNode = async (id: string, wsPort?: number) => {
      const node = await startClusterNode(id, namespace, { SERVICES: "api,live", WS_HAND_OVER_PER_SECOND: "4", ...(wsPort ? { WS_PORT: String(wsPort) } : {}) });
      nodes.push(node);
      return node;
    };
    const old = await liveNode("hand-old");

    const queue = await aQueueThrough(core.baseUrl, "H", SETTLE_MS);
    const { agent, issue, current, upToDate } = queue;

    const screens = [];
    for (let i = 0; i < 3; i++) screens.push(await connectConfirmed(queuePath(queue.id), { token: agent.access, port: old.wsPort }));
    await issue();
    for (const screen of screens) await upToDate(screen);

    await liveNode("hand-new", old.wsPort);
    await stopClusterNode(old);
    nodes.splice(nodes.indexOf(old), 1);
    const held = await current();
    for (const screen of screens) {
      assert.equal(await screen.closed(SETTLE_MS), 1001);
      assert.equal(screen.version, held, "up to date until handed over");
    }

    const moved = [];
    for (const screen of screens) moved.push(await connectConfirmed(queuePath(queue.id), { token: agent.access, port: old.wsPort, since: screen.version! }));
    await issue();
    for (const screen of moved) {
      await upToDate(screen);
      assert.deepEqual(screen.messages[0], { type: "resumed", queue_id: queue.id, version: held });
      assert.equal(screen.messages.filter((m) => m.type === "snapshot").length, 0, "resumed from deltas, not a snapshot");
    }
  });
});
