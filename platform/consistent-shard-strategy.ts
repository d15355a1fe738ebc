// Moleculer's Shard strategy with the node ring placed by hashing, as consistent hashing
// means. The stock ring spaces its slots evenly and deals them out to the sorted node
// ids in turn, so when one node of three dies most keys change owner, survivors
// included: every queue would reload at once, just when capacity dropped. Here each
// node's virtual nodes sit at hash(nodeID#n), so only the dead node's queues move.
import { Strategies } from "moleculer";

interface RingSlot {
  key: number;
  nodeID: string;
}

const VIRTUAL_NODES = 64;
const RING_END = 2 ** 32;

export class ConsistentShardStrategy extends Strategies.Shard {
  rebuild(list: Array<{ id: string }>): void {
    const self = this as unknown as { ring: RingSlot[]; needRebuild: boolean; cache: { reset(): void }; getHash(key: string): number };
    self.cache.reset();
    const ring: RingSlot[] = [];
    for (const { id } of list) {
      for (let n = 0; n < VIRTUAL_NODES; n++) ring.push({ key: self.getHash(`${id}#${n}`), nodeID: id });
    }
    ring.sort((a, b) => a.key - b.key || a.nodeID.localeCompare(b.nodeID));
    // Keys past the last slot wrap around to the first one.
    if (ring.length) ring.push({ key: RING_END, nodeID: ring[0]!.nodeID });
    self.ring = ring;
    self.needRebuild = false;
  }
}

export const CONSISTENT_SHARD = "ConsistentShard";
// Registered by name: action definitions travel between nodes as JSON, with the name.
(Strategies as unknown as { register(name: string, strategy: unknown): void }).register(CONSISTENT_SHARD, ConsistentShardStrategy);
