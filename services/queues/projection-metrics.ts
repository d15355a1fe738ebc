// The queue host in Moleculer's metrics (Prometheus on METRICS_PORT, and GET
// /api/analytics/performance/): how many queue actors this node holds, and how far the
// tickets read model and snapshots are behind the journal here. Read on a timer, since
// lag grows while nothing happens.
import type { MetricRegistry } from "moleculer";
import type { QueueActorHost } from "../../actors/host/host.ts";

export const LAG = "smartqueue_projector_lag_seconds";
export const PENDING = "smartqueue_projector_pending_commits";
export const ACTORS = "smartqueue_queue_actors";
const EVERY_MS = 1000;

/** Starts reporting; the returned function stops it. */
export function reportProjection(registry: MetricRegistry, host: Pick<QueueActorHost, "projector" | "size">): () => void {
  registry.register({ type: "gauge", name: LAG, description: "Age of the oldest journal commit not yet in the tickets read model" });
  registry.register({ type: "gauge", name: PENDING, description: "Journal commits not yet in the tickets read model" });
  registry.register({ type: "gauge", name: ACTORS, description: "Queue actors in memory on this node" });
  const report = () => {
    registry.set(LAG, host.projector.lagMs() / 1000);
    registry.set(PENDING, host.projector.pending);
    registry.set(ACTORS, host.size);
  };
  const timer = setInterval(report, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
