// Live sockets in Moleculer's metrics (Prometheus on METRICS_PORT): how many are open, and
// how many were dropped for falling behind, by channel. With metrics off these are no-ops.
import type { MetricRegistry } from "moleculer";

export const SOCKETS = "smartqueue_live_sockets";
export const DROPPED = "smartqueue_live_dropped_total";

export interface LiveMetrics {
  opened(channel: string): void;
  closed(channel: string, dropped: boolean): void;
}

export function liveMetrics(registry: MetricRegistry): LiveMetrics {
  registry.register({ type: "gauge", name: SOCKETS, labelNames: ["channel"], description: "Open live WebSocket connections" });
  registry.register({
    type: "counter",
    name: DROPPED,
    labelNames: ["channel"],
    description: "Live WebSocket connections closed for having more than WS_MAX_BACKPRESSURE bytes unsent",
  });
  return {
    opened: (channel) => registry.increment(SOCKETS, { channel }),
    closed: (channel, dropped) => {
      registry.decrement(SOCKETS, { channel });
      if (dropped) registry.increment(DROPPED, { channel });
    },
  };
}
