// Moleculer's local discoverer, with millisecond failure detection. The stock one keeps
// heartbeat times in whole seconds (rounded process.uptime()), checks them only every
// heartbeatTimeout seconds and jitters beats by ±500 ms, so a node killed without a
// goodbye is noticed after 3 to 5 s at best. Queues owned by that node are unavailable
// until it is, and SmartQueue promises them back within 3 s.
import { performance } from "node:perf_hooks";
import { Discoverers, type GenericObject } from "moleculer";

interface Timing {
  heartbeatInterval: number;
  heartbeatTimeout: number;
}

type RegistryNodes = { toArray(): Array<{ id: string; local: boolean; available: boolean }>; disconnected(id: string, unexpected: boolean): void };

export class PromptDiscoverer extends Discoverers.Local {
  private readonly heardAt = new Map<string, number>();

  private get timing(): Timing {
    return (this as unknown as { opts: Timing }).opts;
  }

  private get nodes(): RegistryNodes {
    return (this as unknown as { registry: { nodes: RegistryNodes } }).registry.nodes;
  }

  startHeartbeatTimers(): void {
    this.stopHeartbeatTimers();
    const beatMs = this.timing.heartbeatInterval * 1000;
    this.heartbeatTimer = setInterval(() => void this.beat(), beatMs).unref();
    this.checkNodesTimer = setInterval(() => this.checkRemoteNodes(), beatMs / 2).unref();
    this.offlineTimer = setInterval(() => this.checkOfflineNodes(), 60_000).unref();
  }

  heartbeatReceived(nodeID: string, payload: GenericObject): void {
    this.heardAt.set(nodeID, performance.now());
    super.heartbeatReceived(nodeID, payload);
  }

  processRemoteNodeInfo(nodeID: string, payload: GenericObject) {
    this.heardAt.set(nodeID, performance.now());
    return super.processRemoteNodeInfo(nodeID, payload);
  }

  checkRemoteNodes(): void {
    const now = performance.now();
    const timeoutMs = this.timing.heartbeatTimeout * 1000;
    for (const node of this.nodes.toArray()) {
      if (node.local || !node.available) continue;
      const heard = this.heardAt.get(node.id);
      if (heard === undefined) {
        this.heardAt.set(node.id, now);
      } else if (now - heard > timeoutMs) {
        this.heardAt.delete(node.id);
        this.nodes.disconnected(node.id, true);
      }
    }
  }
}
