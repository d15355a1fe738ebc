// The projector's lag in Moleculer's metrics (Prometheus on METRICS_PORT): how far the
// tickets read model and snapshots are behind the journal on this node. Read on a timer,
// since lag grows while nothing happens.
import type { MetricRegistry } from "moleculer";
import type { Projector } from "../../actors/host/projector.ts";

export const LAG = "smartqueue_projector_lag_seconds";
export const PENDING = "smartqueue_projector_pending_commits";
const EVERY_MS = 1000;

/** Starts reporting; the returned function stops it. */
export function reportProjection(registry: MetricRegistry, projector: Projector): () => void {
  registry.register({ type: "gauge", name: LAG, description: "Age of the oldest journal commit not yet in the tickets read model" });
  registry.register({ type: "gauge", name: PENDING, description: "Journal commits not yet in the tickets read model" });
  const report = () => {
    registry.set(LAG, projector.lagMs() / 1000);
    registry.set(PENDING, projector.pending);
  };
  const timer = setInterval(report, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
