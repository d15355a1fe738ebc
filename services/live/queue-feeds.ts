// Getting a new watcher of a queue onto its topic without a gap or a repeat.
//
// Deltas are published once per queue on a uWebSockets.js topic, which fans them out
// natively. A new watcher, though, joins between two deltas it cannot see coming: it is
// registered here before its snapshot is asked for, holds every delta that arrives until
// the snapshot has gone out, then gets the part of them it has not seen. Only when this
// node's last published delta has caught up with the watcher's version does the watcher
// move onto the native topic; until then (a delta still in flight to this node, say) it
// is fed by hand, so it is never sent a version it already has. A watcher that asks to
// re-sync goes back to holding until its fresh snapshot is out.
//
// Nor is a watcher ever sent a delta that skips a version. This node can miss a queue's
// broadcast: seen in the restart benchmark (docs/bench-runs/2026-12-02-admission-gate.md),
// where a queue's deltas arrived here as 3 then 5 and its screens at 3 were sent 5 (most
// likely the node was taken for dead for a moment, a heartbeat a second late, and left
// out of a broadcast). So a delta that does not follow what this node
// published of the queue, or what a watcher holds, sends the watchers concerned back to
// holding, and `refresh` gets each a fresh snapshot (the channel's re-sync).
import type { Peer } from "./channel.ts";
import { unseenBy, type Delta } from "./delta.ts";
import { deltaMessage } from "./messages.ts";

export interface Watcher {
  readonly queueId: string;
  /** Set when the socket opens. */
  peer: Peer | null;
  /** The version the client holds; null until its snapshot has gone out. */
  version: number | null;
  /** Deltas that arrived before its snapshot went out. */
  held: Delta[];
}

interface Feed {
  members: Set<Watcher>;
  /** Not (yet) on the native topic: held or fed by hand. */
  catchingUp: Set<Watcher>;
  /** The newest version published on the topic since this node has had watchers. */
  published: number | null;
}

export const queueTopic = (queueId: string) => `queue/${queueId}`;

export class QueueFeeds {
  private readonly feeds = new Map<string, Feed>();
  private refresh: (watcher: Watcher) => void = () => {};

  constructor(private readonly publish: (topic: string, message: object) => void) {}

  /** How a watcher that cannot be fed without a gap gets a fresh snapshot (it is holding meanwhile). */
  refreshWith(refresh: (watcher: Watcher) => void): void {
    this.refresh = refresh;
  }

  isWatched(queueId: string): boolean {
    return this.feeds.has(queueId);
  }

  /** A new watcher: from now on it holds every delta of its queue. */
  join(queueId: string): Watcher {
    const watcher: Watcher = { queueId, peer: null, version: null, held: [] };
    let feed = this.feeds.get(queueId);
    if (!feed) this.feeds.set(queueId, (feed = { members: new Set(), catchingUp: new Set(), published: null }));
    feed.members.add(watcher);
    feed.catchingUp.add(watcher);
    return watcher;
  }

  /** Gone: closed, refused, or left before its socket opened. */
  leave(watcher: Watcher): void {
    const feed = this.feeds.get(watcher.queueId);
    if (!feed) return;
    feed.members.delete(watcher);
    feed.catchingUp.delete(watcher);
    if (feed.members.size === 0) this.feeds.delete(watcher.queueId);
  }

  /** Before a re-sync: off the topic, holding again until the fresh snapshot is out. */
  hold(watcher: Watcher): void {
    const feed = this.feedOf(watcher);
    if (!feed.catchingUp.has(watcher)) {
      watcher.peer?.unsubscribe(queueTopic(watcher.queueId));
      feed.catchingUp.add(watcher);
    }
    watcher.version = null;
    watcher.held = [];
  }

  /** Its snapshot at `version` has just been sent: catch it up from what it held. */
  synced(watcher: Watcher, version: number): void {
    const feed = this.feedOf(watcher);
    watcher.version = version;
    const held = watcher.held;
    watcher.held = [];
    for (const delta of held) if (!this.feedByHand(watcher, delta)) return;
    this.settle(feed, watcher);
  }

  /** One coalesced delta: natively to the watchers in step, by hand to the others. */
  deliver(delta: Delta): void {
    const feed = this.feeds.get(delta.queue_id);
    if (!feed) return;
    // Versions missed here: every watcher holding one is behind by them.
    if (feed.published !== null && delta.from_version > feed.published + 1) {
      for (const watcher of feed.members) if (watcher.version !== null) this.refreshed(watcher);
    }
    feed.published = Math.max(feed.published ?? delta.version, delta.version);
    this.publish(queueTopic(delta.queue_id), deltaMessage(delta));
    for (const watcher of feed.catchingUp) {
      if (watcher.version === null) watcher.held.push(delta);
      else if (this.feedByHand(watcher, delta)) this.settle(feed, watcher);
    }
  }

  /** Sends what the watcher lacks of `delta`; false when it lacks more (it is then refreshed). */
  private feedByHand(watcher: Watcher, delta: Delta): boolean {
    const unseen = unseenBy(delta, watcher.version!);
    if (!unseen) return true;
    if (unseen.from_version > watcher.version! + 1) {
      this.refreshed(watcher);
      return false;
    }
    watcher.peer?.send(deltaMessage(unseen));
    watcher.version = unseen.version;
    return true;
  }

  private refreshed(watcher: Watcher): void {
    this.hold(watcher);
    this.refresh(watcher);
  }

  /** Onto the native topic once everything this node publishes from now on is new to it. */
  private settle(feed: Feed, watcher: Watcher): void {
    if (feed.published === null || watcher.version === null || feed.published < watcher.version) return;
    watcher.peer?.subscribe(queueTopic(watcher.queueId));
    feed.catchingUp.delete(watcher);
  }

  private feedOf(watcher: Watcher): Feed {
    const feed = this.feeds.get(watcher.queueId);
    if (!feed) throw new Error(`queue watcher of ${watcher.queueId} used after it left`);
    return feed;
  }
}
