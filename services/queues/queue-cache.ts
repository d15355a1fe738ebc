// Queue definitions as most requests need them (who owns the queue, is it taking
// tickets), remembered for a few seconds per node instead of read from MongoDB on every
// ticket. A change or deletion drops the entry on every node (`queues.changed`).
import type { Stored } from "../../platform/mongo/wire.ts";
import { isObjectId } from "../../platform/mongo/wire.ts";
import type { QueueDoc, QueuesStore } from "./store.ts";

const TTL_MS = 5000;

export class QueueCache {
  private readonly entries = new Map<string, { doc: Stored<QueueDoc>; until: number }>();

  constructor(private readonly store: QueuesStore) {}

  async get(id: string): Promise<Stored<QueueDoc> | null> {
    const entry = this.entries.get(id);
    if (entry && entry.until > Date.now()) return entry.doc;
    const doc = isObjectId(id) ? await this.store.queues.findById(id).lean<Stored<QueueDoc>>() : null;
    if (doc) this.entries.set(id, { doc, until: Date.now() + TTL_MS });
    else this.entries.delete(id);
    return doc;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
