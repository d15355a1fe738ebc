// Moleculer's Shard strategy with the node ring placed by hashing, as consistent hashing
// means. The stock ring spaces its slots evenly and deals them out to the sorted node
// ids in turn, so when one node of three dies most keys change owner, survivors
// included: every queue would reload at once, just when capacity dropped. Here each
// node's virtual nodes sit at hash(nodeID#n), so only the dead node's queues move.
//
// The ring holds every node that hosts the action, whatever its circuit breaker says, and
// is the same object for every action of that node set (a queue's commands and views agree
// on its owner). Moleculer hands `select` only the endpoints whose breaker is closed; when
// the owner's is open, the key goes to the next node on the ring that is available instead
// of failing the call (the stock strategy answered nothing, a 500 for the breaker's whole
// half-open time). Moving a queue is safe: its writes are fenced (actors/host/store.ts).
import { Strategies, type Context } from "moleculer";

interface RingSlot {
  key: number;
  nodeID: string;
}

interface ShardEndpoint {
  id: string;
  action: { name: string };
}

/** What the ring is read from: Moleculer's registry. */
export type EndpointRegistry = { getActionEndpoints(name: string): { endpoints: Array<{ id: string }> } | undefined };

type ShardInternals = {
  registry: EndpointRegistry;
  getHash(key: string): number;
  getKeyFromContext(ctx: Context): unknown;
};

const VIRTUAL_NODES = 64;

/** The ids of the nodes hosting `action`, whatever their breakers say: the ring's members. */
export function ringMembers(registry: EndpointRegistry, action: string): string[] | undefined {
  const all = registry.getActionEndpoints(action)?.endpoints;
  return all && [...new Set(all.map((endpoint) => endpoint.id))];
}

/** Rings by node set, shared by every action hosted on that set. */
const rings = new Map<string, RingSlot[]>();
const RINGS_KEPT = 16;

function ringOf(nodeIDs: string[], hash: (key: string) => number): RingSlot[] {
  const id = [...nodeIDs].sort().join(",");
  let ring = rings.get(id);
  if (ring) return ring;
  ring = [];
  for (const nodeID of nodeIDs) {
    for (let n = 0; n < VIRTUAL_NODES; n++) ring.push({ key: hash(`${nodeID}#${n}`), nodeID });
  }
  ring.sort((a, b) => a.key - b.key || a.nodeID.localeCompare(b.nodeID));
  if (rings.size >= RINGS_KEPT) rings.delete(rings.keys().next().value!);
  rings.set(id, ring);
  return ring;
}

/** The index of the first slot at or after `hash`, wrapping past the end. */
function slotIndex(ring: RingSlot[], hash: number): number {
  let low = 0;
  let high = ring.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ring[mid]!.key < hash) low = mid + 1;
    else high = mid;
  }
  return low % ring.length;
}

export class ConsistentShardStrategy extends Strategies.Shard {
  // Typed as Moleculer declares it (endpoints are `any` there).
  select(list: any[], ctx?: Context): any {
    const self = this as unknown as ShardInternals;
    const key = ctx && self.getKeyFromContext(ctx);
    if (key == null || list.length === 0) return super.select(list, ctx);
    const endpoints = list as ShardEndpoint[];
    const members = ringMembers(self.registry, endpoints[0]!.action.name) ?? [...new Set(endpoints.map((ep) => ep.id))];
    const ring = ringOf(members, (k) => self.getHash(k));
    const available = new Map(endpoints.map((ep) => [ep.id, ep]));
    const start = slotIndex(ring, self.getHash(String(key)));
    for (let i = 0; i < ring.length; i++) {
      const endpoint = available.get(ring[(start + i) % ring.length]!.nodeID);
      if (endpoint) return endpoint;
    }
    return endpoints[0];
  }
}

export const CONSISTENT_SHARD = "ConsistentShard";
// Registered by name: action definitions travel between nodes as JSON, with the name.
(Strategies as unknown as { register(name: string, strategy: unknown): void }).register(CONSISTENT_SHARD, ConsistentShardStrategy);
