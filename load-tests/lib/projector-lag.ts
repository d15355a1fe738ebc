// A node's projector, read from its Prometheus endpoint while a load runs: how far the
// tickets read model trails the journal (smartqueue_projector_lag_seconds, sampled), and
// how many commits it has still to write (smartqueue_projector_pending_commits).
import { Latencies } from "./latency.ts";
import { sleep } from "./rig.ts";

async function gauge(metricsUrl: string, name: string): Promise<number | null> {
  const text = await fetch(metricsUrl).then((r) => r.text(), () => "");
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.eE+-]+)`, "m").exec(text);
  return match ? Number(match[1]) : null;
}

export function sampleProjectorLag(metricsUrl: string, everyMs = 200): { stop(): Promise<ReturnType<Latencies["summary"]>> } {
  const lag = new Latencies();
  let running = true;
  const loop = (async () => {
    while (running) {
      const seconds = await gauge(metricsUrl, "smartqueue_projector_lag_seconds");
      if (seconds !== null) lag.add(seconds * 1000);
      await sleep(everyMs);
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

/** Waits until the projector has written everything (or `giveUpMs` passed); answers how long that took. */
export async function projectorCaughtUp(metricsUrl: string, giveUpMs = 60_000): Promise<number> {
  const started = performance.now();
  while (((await gauge(metricsUrl, "smartqueue_projector_pending_commits")) ?? 0) > 0 && performance.now() - started < giveUpMs) await sleep(100);
  return Math.round(performance.now() - started);
}
