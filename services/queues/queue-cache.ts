// Queue definitions as most requests need them (who owns the queue, is it taking
// tickets): the `queues.queueById` action through Moleculer's cacher, remembered for a few
// seconds per node instead of read from MongoDB on every ticket. A change or deletion
// cleans the entry on every node (`queues.changed`).
import type { ServiceBroker } from "moleculer";
import type { Stored } from "../../mixins/db/wire.ts";
import type { QueueDoc } from "./store.ts";

export const QUEUE_BY_ID = "queues.queueById";
/** Seconds a definition is remembered (the cacher's ttl for QUEUE_BY_ID). */
export const QUEUE_CACHE_TTL_S = 5;
/** QUEUE_BY_ID's `cache`: one entry per queue id, which `keyOf` names. */
export const QUEUE_BY_ID_CACHE = { keys: ["id"], ttl: QUEUE_CACHE_TTL_S };

export interface QueueCache {
  get(id: string): Promise<Stored<QueueDoc> | null>;
  /** Drops this node's copy at once (other nodes hear `queues.changed`). */
  forget(id: string): Promise<void>;
}

/** The cacher's key for a queue, as Moleculer makes it for QUEUE_BY_ID's `keys`. */
const keyOf = (id: string) => `${QUEUE_BY_ID}:${id}`;

export function queueCache(broker: () => ServiceBroker): QueueCache {
  return {
    // A definition remembered is read from the cacher itself: every ticket command looks its
    // queue up, and the call around the lookup (a context, the middlewares) cost the node
    // more than the lookup did. Only a miss goes through the action, which fills the cacher.
    get: async (id) => {
      const remembered = (await broker().cacher?.get(keyOf(id))) as Stored<QueueDoc> | null | undefined;
      return remembered ?? broker().call<Stored<QueueDoc> | null, { id: string }>(QUEUE_BY_ID, { id });
    },
    forget: async (id) => void (await broker().cacher?.clean(keyOf(id))),
  };
}
