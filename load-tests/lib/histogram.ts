// A latency histogram that several receiver processes fill and the driver merges: 0.1 ms
// buckets up to 100 ms, 1 ms buckets up to 10 s, 10 ms buckets up to 120 s (anything later
// lands in the last).
// Percentiles come out exact to the bucket, without shipping every sample between processes.
const FINE_MS = 100;
const FINE_PER_MS = 10;
const MID_MS = 10_000;
const COARSE_MS = 120_000;
const COARSE_STEP_MS = 10;
const FINE_BUCKETS = FINE_MS * FINE_PER_MS;
const MID_BUCKETS = MID_MS - FINE_MS;
const BUCKETS = FINE_BUCKETS + MID_BUCKETS + (COARSE_MS - MID_MS) / COARSE_STEP_MS;

const bucketOf = (ms: number) =>
  ms < FINE_MS ? Math.floor(ms * FINE_PER_MS)
  : ms < MID_MS ? FINE_BUCKETS + Math.floor(ms - FINE_MS)
  : Math.min(BUCKETS - 1, FINE_BUCKETS + MID_BUCKETS + Math.floor((ms - MID_MS) / COARSE_STEP_MS));

/** The upper edge of a bucket, in ms. */
const edgeOf = (bucket: number) =>
  bucket < FINE_BUCKETS ? (bucket + 1) / FINE_PER_MS
  : bucket < FINE_BUCKETS + MID_BUCKETS ? FINE_MS + (bucket - FINE_BUCKETS) + 1
  : MID_MS + (bucket - FINE_BUCKETS - MID_BUCKETS + 1) * COARSE_STEP_MS;

export type HistogramCounts = number[];

export class Histogram {
  readonly counts: HistogramCounts = new Array(BUCKETS).fill(0);
  count = 0;
  max = 0;

  add(ms: number): void {
    const clamped = Math.max(0, ms);
    this.counts[bucketOf(clamped)]!++;
    this.count++;
    if (clamped > this.max) this.max = clamped;
  }

  merge(other: { counts: HistogramCounts; count: number; max: number }): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  /** The upper edge of the bucket holding the p-th percentile, in ms; null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(edgeOf(i), this.max);
    }
    return this.max;
  }

  toJSON() {
    return { counts: this.counts, count: this.count, max: this.max };
  }
}
