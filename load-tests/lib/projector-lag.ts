// Samples a node's projector lag (smartqueue_projector_lag_seconds on its Prometheus
// endpoint) while a load runs: how far the tickets read model trails the journal.
import { Latencies } from "./latency.ts";

const LAG_LINE = /^smartqueue_projector_lag_seconds(?:\{[^}]*\})? ([\d.eE+-]+)/m;

export function sampleProjectorLag(metricsUrl: string, everyMs = 200): { stop(): Promise<ReturnType<Latencies["summary"]>> } {
  const lag = new Latencies();
  let running = true;
  const loop = (async () => {
    while (running) {
      const text = await fetch(metricsUrl).then((r) => r.text(), () => "");
      const match = LAG_LINE.exec(text);
      if (match) lag.add(Number(match[1]) * 1000);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return lag.summary();
    },
  };
}
