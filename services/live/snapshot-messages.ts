// A queue's snapshot message, serialised once per queue version and sent as is to every
// screen that gets it at that version: when a node restarts, thousands of screens ask for
// the snapshots of a few queues, and serialising one per screen was most of the cost.
// Kept for the queues watched on this node only (the channel forgets a queue's when its
// last watcher leaves).
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { snapshotMessage } from "./messages.ts";

interface Serialised {
  version: number;
  name: string;
  text: string;
}

export class SnapshotMessages {
  private readonly newest = new Map<string, Serialised>();

  /** The message as text; an older snapshot than the one kept is serialised but not kept. */
  textOf(queueId: string, name: string, snapshot: QueueSnapshot): string {
    const kept = this.newest.get(queueId);
    if (kept && kept.version === snapshot.version && kept.name === name) return kept.text;
    const text = JSON.stringify(snapshotMessage(queueId, name, snapshot));
    if (!kept || kept.version <= snapshot.version) this.newest.set(queueId, { version: snapshot.version, name, text });
    return text;
  }

  forget(queueId: string): void {
    this.newest.delete(queueId);
  }
}
