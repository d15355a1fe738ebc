// A node just started is known to the other nodes only once they have processed its INFO,
// which Moleculer sends after every local service started; until then their broadcasts —
// the queues' changes among them — skip it. A live node that admitted a screen before its
// queue's owner knew it would send the screen a snapshot and then none of what followed.
// So it asks every other node it knows whether that node lists it, until they all do.
// It also waits until the services it calls are listed here: a node of live channels only
// waits just 50 ms for the others' INFO after connecting (moleculer.config.ts), and an
// INFO slower than that must not mean screens refused with 503.
import type { ServiceBroker } from "moleculer";

interface NodeEntry {
  id: string;
  available: boolean;
  local?: boolean;
}

const POLL_MS = 50;

/**
 * Resolves true once the services named in `calls` are listed here and every available
 * peer lists this node, false if not by `timeoutMs`. Without a transporter no other node
 * can bring or list anything: nothing to wait for.
 */
export async function knownByPeers(broker: ServiceBroker, calls: readonly string[], timeoutMs: number): Promise<boolean> {
  if (!broker.transit) return true;
  const deadline = Date.now() + timeoutMs;
  // Moleculer sends a node's INFO a second after its last service registered (a debounce),
  // and until the others have it they do not list the node: a restarted live node's
  // screens waited that second. It is sent at once, then again by Moleculer.
  const registry = broker.registry as unknown as { discoverer: { sendLocalNodeInfo(): Promise<void> }; hasService(name: string): boolean };
  await registry.discoverer.sendLocalNodeInfo();
  for (;;) {
    const peers = (broker.registry.nodes.list({ onlyAvailable: true }) as NodeEntry[]).filter((node) => !node.local);
    const knows = await Promise.all(
      peers.map((peer) =>
        broker.call<NodeEntry[], object>("$node.list", { onlyAvailable: true }, { nodeID: peer.id }).then(
          (listed) => listed.some((node) => node.id === broker.nodeID && node.available),
          () => false, // gone meanwhile, or not answering: asked again next round
        ),
      ),
    );
    if (knows.every(Boolean) && calls.every((name) => registry.hasService(name))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
