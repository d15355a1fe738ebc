// The recent deltas of each queue, kept so that a screen coming back with the version it
// last saw gets what it missed instead of a whole snapshot. Memory is bounded twice: so
// many deltas per queue (a delta is one tick's changes: at an office's pace, minutes of
// them) and so many queues, the least recently changed forgotten first.
import { unseenBy, type Delta } from "./delta.ts";

/** Deltas kept per queue: a screen further behind than this gets a snapshot. */
export const RESUME_DELTAS_PER_QUEUE = 64;
/** Queues whose deltas are kept on one node. */
export const RESUMABLE_QUEUES = 1000;

export class DeltaRing {
  /** Per queue, deltas that follow each other exactly, oldest first; in least recently changed order. */
  private readonly rings = new Map<string, Delta[]>();

  constructor(
    private readonly perQueue = RESUME_DELTAS_PER_QUEUE,
    private readonly queues = RESUMABLE_QUEUES,
  ) {}

  has(queueId: string): boolean {
    return this.rings.has(queueId);
  }

  record(delta: Delta): void {
    const ring = this.rings.get(delta.queue_id) ?? [];
    this.rings.delete(delta.queue_id);
    this.rings.set(delta.queue_id, this.extended(ring, delta));
    if (this.rings.size > this.queues) this.rings.delete(this.rings.keys().next().value!);
  }

  /**
   * What a client at `version` has missed, in order, up to the newest delta heard here
   * ([] when it has them all); null when this is unknown: older than the ring, or ahead of it.
   */
  since(queueId: string, version: number): Delta[] | null {
    const ring = this.rings.get(queueId);
    if (!ring || version < ring[0].from_version - 1 || version > ring[ring.length - 1].version) return null;
    return ring.flatMap((delta) => unseenBy(delta, version) ?? []);
  }

  /** The ring with `delta` after it: a repeat is trimmed, a gap starts the ring afresh. */
  private extended(ring: Delta[], delta: Delta): Delta[] {
    const newest = ring.at(-1);
    if (!newest) return [delta];
    const unseen = unseenBy(delta, newest.version);
    if (!unseen) return ring;
    if (unseen.from_version !== newest.version + 1) return [unseen];
    ring.push(unseen);
    if (ring.length > this.perQueue) ring.shift();
    return ring;
  }
}
