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

export interface QueueCache {
  get(id: string): Promise<Stored<QueueDoc> | null>;
  /** Drops this node's copy at once (other nodes hear `queues.changed`). */
  forget(id: string): Promise<void>;
}

export function queueCache(broker: () => ServiceBroker): QueueCache {
  return {
    get: (id) => broker().call<Stored<QueueDoc> | null, { id: string }>(QUEUE_BY_ID, { id }),
    forget: async (id) => void (await broker().cacher?.clean(`${QUEUE_BY_ID}:${id}`)),
  };
}
