// The event loop's lag in Moleculer's metrics, measured by Node itself
// (perf_hooks.monitorEventLoopDelay): Moleculer's own lag metrics need a native module
// this project does not install. Every few seconds the median, 99th percentile and
// maximum delay of that window are set, and the window starts again.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Middleware, ServiceBroker } from "moleculer";

export const LAG_P50 = "smartqueue_event_loop_lag_p50_ms";
export const LAG_P99 = "smartqueue_event_loop_lag_p99_ms";
export const LAG_MAX = "smartqueue_event_loop_lag_max_ms";
const WINDOW_MS = 5000;
const RESOLUTION_MS = 10;

export function eventLoopLag(): Middleware {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let timer: NodeJS.Timeout | undefined;
  return {
    started(broker: ServiceBroker) {
      const registry = broker.metrics;
      for (const [name, what] of [[LAG_P50, "median"], [LAG_P99, "99th percentile"], [LAG_MAX, "maximum"]] as const) {
        registry.register({ type: "gauge", name, description: `Event-loop delay, ${what} over the last ${WINDOW_MS / 1000} s (ms)` });
      }
      delay.enable();
      timer = setInterval(() => {
        // The histogram is in nanoseconds, and counts the sampling resolution in every delay.
        const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
        registry.set(LAG_P50, ms(delay.percentile(50)));
        registry.set(LAG_P99, ms(delay.percentile(99)));
        registry.set(LAG_MAX, ms(delay.max));
        delay.reset();
      }, WINDOW_MS);
      timer.unref();
    },
    stopped() {
      clearInterval(timer);
      delay.disable();
    },
  } as Middleware;
}
