// Latency samples in ms, summarised as percentiles.
export class Latencies {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary() {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : null);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return { count: sorted.length, p50_ms: round(at(50)), p95_ms: round(at(95)), p99_ms: round(at(99)), max_ms: round(sorted.at(-1) ?? null) };
  }
}

export async function timed<T>(latencies: Latencies, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  latencies.add(performance.now() - started);
  return result;
}
