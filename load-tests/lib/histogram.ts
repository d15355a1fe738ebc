// A latency histogram that several receiver processes fill and the driver merges: 0.1 ms
// buckets up to 100 ms, then 1 ms buckets up to 10 s (anything later lands in the last).
// Percentiles come out exact to the bucket, without shipping every sample between processes.
const FINE_MS = 100;
const FINE_PER_MS = 10;
const COARSE_MS = 10_000;
const BUCKETS = FINE_MS * FINE_PER_MS + (COARSE_MS - FINE_MS);

export type HistogramCounts = number[];

export class Histogram {
  readonly counts: HistogramCounts = new Array(BUCKETS).fill(0);
  count = 0;
  max = 0;

  add(ms: number): void {
    const clamped = Math.max(0, ms);
    const bucket = clamped < FINE_MS ? Math.floor(clamped * FINE_PER_MS) : Math.min(BUCKETS - 1, FINE_MS * FINE_PER_MS + Math.floor(clamped - FINE_MS));
    this.counts[bucket]!++;
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
      if (seen >= rank) return i < FINE_MS * FINE_PER_MS ? (i + 1) / FINE_PER_MS : FINE_MS + (i - FINE_MS * FINE_PER_MS) + 1;
    }
    return this.max;
  }

  toJSON() {
    return { counts: this.counts, count: this.count, max: this.max };
  }
}
