// Live sockets in Moleculer's metrics (Prometheus on METRICS_PORT): how many are open, and
// how many were dropped for falling behind, by channel; and whether the node admits new
// ones, which tells a successor started on the same WS_PORT ready to take over
// (hand-over.ts): a connect to that port may reach either process. With metrics off these
// are no-ops.
import type { MetricRegistry } from "moleculer";

export const SOCKETS = "smartqueue_live_sockets";
export const DROPPED = "smartqueue_live_dropped_total";
export const ADMITTING = "smartqueue_live_admitting";

export interface LiveMetrics {
  opened(channel: string): void;
  closed(channel: string, dropped: boolean): void;
  admitting(yes: boolean): void;
}

export function liveMetrics(registry: MetricRegistry): LiveMetrics {
  registry.register({ type: "gauge", name: SOCKETS, labelNames: ["channel"], description: "Open live WebSocket connections" });
  registry.register({
    type: "counter",
    name: DROPPED,
    labelNames: ["channel"],
    description: "Live WebSocket connections closed for having more than WS_MAX_BACKPRESSURE bytes unsent",
  });
  registry.register({ type: "gauge", name: ADMITTING, description: "1 while this node admits new live sockets: from joining the cluster until it stops" });
  return {
    admitting: (yes) => registry.set(ADMITTING, yes ? 1 : 0),
    opened: (channel) => registry.increment(SOCKETS, { channel }),
    closed: (channel, dropped) => {
      registry.decrement(SOCKETS, { channel });
      if (dropped) registry.increment(DROPPED, { channel });
    },
  };
}
