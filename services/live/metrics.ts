// Live sockets in Moleculer's metrics (Prometheus on METRICS_PORT): how many are open, and
// how many were dropped for falling behind, by channel; and whether the node admits new
// ones, which tells a successor started on the same WS_PORT ready to take over
// (hand-over.ts): a connect to that port may reach either process; and how long after
// its process started the node listened and began admitting, which a restart's operator
// (and the restart benchmark) reads from the node itself: a connect that probes the port
// can wait a second more, when the screens coming back fill the listen queue. With
// metrics off these are no-ops.
import type { MetricRegistry } from "moleculer";

export const SOCKETS = "smartqueue_live_sockets";
export const DROPPED = "smartqueue_live_dropped_total";
export const ADMITTING = "smartqueue_live_admitting";
export const READY_AFTER = "smartqueue_live_ready_after_seconds";

/** The steps of a live node's start: its port open, then its sockets admitted. */
export type StartStage = "listening" | "admitting";

export interface LiveMetrics {
  opened(channel: string): void;
  closed(channel: string, dropped: boolean): void;
  admitting(yes: boolean): void;
  /** The process has been up this long when it reached `stage`. */
  reached(stage: StartStage): void;
}

/** What a node's /metrics text says of `stage` (READY_AFTER, seconds), or null if it says nothing. */
export function readyAfterIn(metricsText: string, stage: StartStage): number | null {
  const value = new RegExp(`^${READY_AFTER}\\{[^}]*stage="${stage}"[^}]*\\} ([\\d.]+)$`, "m").exec(metricsText)?.[1];
  return value === undefined ? null : Number(value);
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
  registry.register({
    type: "gauge",
    name: READY_AFTER,
    labelNames: ["stage"],
    description: "Seconds from this process starting until its live port listened (stage listening) and until it admitted sockets (stage admitting)",
  });
  return {
    admitting: (yes) => registry.set(ADMITTING, yes ? 1 : 0),
    reached: (stage) => registry.set(READY_AFTER, process.uptime(), { stage }),
    opened: (channel) => registry.increment(SOCKETS, { channel }),
    closed: (channel, dropped) => {
      registry.decrement(SOCKETS, { channel });
      if (dropped) registry.increment(DROPPED, { channel });
    },
  };
}
