// A Moleculer histogram that takes a batch of values at once (config/broker/request-metrics.ts
// gives it a second's worth of one action's call times).
import { MetricTypes } from "moleculer";

/** What Moleculer's histogram keeps per label set (src/metrics/types/histogram.js). */
interface HistogramItem {
  sum: number;
  count: number;
  lastValue: number | null;
  bucketValues?: Record<number, number>;
  quantileValues?: { add(value: number): void };
  rate?: { update(count: number): void };
}

/**
 * Moleculer's histogram, taking many values of one label set at once: its labels hashed,
 * its rate and its change told once per batch; each value still goes into the quantiles,
 * and into its buckets by one search instead of a pass over all of them. Read and
 * reported as Moleculer's own histogram.
 */
export class BatchedHistogram extends MetricTypes.Histogram {
  constructor(opts: object, registry: unknown) {
    super(opts as never, registry as never);
    this.type = "histogram";
  }

  observeAll(values: readonly number[], labels: object): void {
    if (!values.length) return;
    // The first value the usual way: it finds (or makes) the item, with everything it keeps.
    const item = super.observe(values[0]!, labels) as unknown as HistogramItem;
    const bounds = this.buckets ?? [];
    // Values whose smallest bucket is i; a bucket counts every value up to its bound.
    const smallest = new Array<number>(bounds.length).fill(0);
    let sum = 0;
    for (let i = 1; i < values.length; i++) {
      const value = values[i]!;
      sum += value;
      item.quantileValues?.add(value);
      const bucket = firstAtLeast(bounds, value);
      if (bucket < bounds.length) smallest[bucket]!++;
    }
    if (item.bucketValues) {
      let upTo = 0;
      for (let b = 0; b < bounds.length; b++) {
        upTo += smallest[b]!;
        item.bucketValues[bounds[b]!]! += upTo;
      }
    }
    item.sum += sum;
    item.count += values.length - 1;
    item.lastValue = values[values.length - 1]!;
    item.rate?.update(item.count);
  }
}
// Moleculer resolves a metric's type by name among these; `register` is in its JavaScript, not its typings.
export const BATCHED_HISTOGRAM = "BatchedHistogram";
(MetricTypes as unknown as { register(name: string, type: typeof BatchedHistogram): void }).register(BATCHED_HISTOGRAM, BatchedHistogram);

/** The index of the first bound ≥ value in ascending bounds (bounds.length if none). */
function firstAtLeast(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
