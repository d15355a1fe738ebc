// A mergeable sketch of durations (waits, services) for medians and 90th percentiles
// without keeping every value: a log histogram with fixed buckets. Bucket 0 holds values
// under one second; bucket i ≥ 1 holds [GROWTH^(i-1), GROWTH^i) seconds. Two sketches
// merge by adding counts, so hours add up to days and queues to organisations exactly.
// A quantile is answered as its bucket's geometric middle: within ±4.9 % of a true value
// of one second or more (GROWTH = 1.1), within 0.5 s below that. Pure, but for addInto and
// mergeInto, which change the sketch they are given (one their caller owns: a rollup's
// copy being counted, or figures being merged): a copy per value was most of the analytics
// service's garbage.

export const GROWTH = 1.1;
/** Past 24 h a duration goes to the last bucket (a day's wait is already "too long"). */
export const MAX_BUCKET = Math.ceil(Math.log(86_400) / Math.log(GROWTH)) + 1;

/** Counts by bucket index, sparse: only buckets that hold values are present. */
export type Sketch = Record<string, number>;

export function bucketOf(ms: number): number {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 1) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log(seconds) / Math.log(GROWTH)) + 1);
}

/** The value a bucket stands for, in ms: its geometric middle (0.5 s for bucket 0). */
export function valueOf(bucket: number): number {
  if (bucket <= 0) return 500;
  return Math.round(1000 * Math.pow(GROWTH, bucket - 0.5));
}

/** Counts a duration `count` times into the sketch (in place). */
export function addInto(sketch: Sketch, ms: number, count = 1): Sketch {
  const key = String(bucketOf(ms));
  sketch[key] = (sketch[key] ?? 0) + count;
  return sketch;
}

/** Adds b's counts into a (in place); b is left as it was. */
export function mergeInto(a: Sketch, b: Sketch): Sketch {
  for (const key in b) a[key] = (a[key] ?? 0) + b[key]!;
  return a;
}

export function total(sketch: Sketch): number {
  return Object.values(sketch).reduce((sum, n) => sum + n, 0);
}

/** The q-quantile (0 < q ≤ 1) in ms, nearest-rank, or null for an empty sketch. */
export function quantile(sketch: Sketch, q: number): number | null {
  const n = total(sketch);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const bucket of Object.keys(sketch).map(Number).sort((x, y) => x - y)) {
    seen += sketch[String(bucket)]!;
    if (seen >= rank) return valueOf(bucket);
  }
  return valueOf(MAX_BUCKET);
}
