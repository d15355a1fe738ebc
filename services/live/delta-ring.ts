// The recent deltas of each queue, kept so that a screen coming back with the version it
// last saw gets what it missed instead of a whole snapshot. Memory is bounded twice: so
// many deltas per queue (a delta is one tick's changes: at an office's pace, minutes of
// them) and so many queues, the least recently changed forgotten first.
import { unseenBy, type Delta } from "./delta.ts";

/** Deltas kept per queue: a screen further behind than this gets a snapshot. */
export const RESUME_DELTAS_PER_QUEUE = 64;
/** Queues whose deltas are kept on one node. */
export const RESUMABLE_QUEUES = 1000;

/** A client at `base` or later can be caught up: every delta after `base` heard here is in `deltas`, in order. */
interface Span {
  base: number;
  deltas: Delta[];
}

const newestOf = (span: Span): number => span.deltas.at(-1)?.version ?? span.base;

export class DeltaRing {
  /** Per queue, in least recently changed order. */
  private readonly spans = new Map<string, Span>();

  constructor(
    private readonly perQueue = RESUME_DELTAS_PER_QUEUE,
    private readonly queues = RESUMABLE_QUEUES,
  ) {}

  has(queueId: string): boolean {
    return this.spans.has(queueId);
  }

  record(delta: Delta): void {
    const span = this.spans.get(delta.queue_id);
    this.spans.delete(delta.queue_id);
    this.spans.set(delta.queue_id, span ? this.extended(span, delta) : { base: delta.from_version - 1, deltas: [delta] });
    this.evictBeyondBound();
  }

  /**
   * A snapshot at `version` was fetched for a queue of which nothing is kept: from now on,
   * a client at that version can be caught up by the deltas that follow it. (Where deltas
   * are kept, they already say how far back they reach.)
   */
  startAt(queueId: string, version: number): void {
    if (this.spans.has(queueId)) return;
    this.spans.set(queueId, { base: version, deltas: [] });
    this.evictBeyondBound();
  }

  /**
   * What a client at `version` has missed, in order, up to the newest delta heard here
   * ([] when it has them all); null when this is unknown: older than the ring, or ahead of it.
   */
  since(queueId: string, version: number): Delta[] | null {
    const span = this.spans.get(queueId);
    if (!span || version < span.base || version > newestOf(span)) return null;
    return span.deltas.flatMap((delta) => unseenBy(delta, version) ?? []);
  }

  /** The span with `delta` after it: a repeat is trimmed, a gap starts the span afresh. */
  private extended(span: Span, delta: Delta): Span {
    const unseen = unseenBy(delta, newestOf(span));
    if (!unseen) return span;
    if (unseen.from_version !== newestOf(span) + 1) return { base: unseen.from_version - 1, deltas: [unseen] };
    span.deltas.push(unseen);
    if (span.deltas.length > this.perQueue) span.base = span.deltas.shift()!.version;
    return span;
  }

  private evictBeyondBound(): void {
    if (this.spans.size > this.queues) this.spans.delete(this.spans.keys().next().value!);
  }
}
