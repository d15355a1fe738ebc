// The system's own health, read from each node's Moleculer metrics registry (the
// $node.metrics action, so every node answers for itself): calls handled per second and
// their latencies by action (busiest first), errors, the event loop's lag, open live sockets, the queue
// actors in memory and how far the projector trails the journal. Per node, and summed or
// maxed over the cluster. Pure: the caller collects the metrics.

/** The metrics read, as the broker and the services register them. */
export const PERFORMANCE_METRICS = ["moleculer.request.total", "moleculer.request.time", "moleculer.request.error.total", "smartqueue_*"];

interface MetricValue {
  labels: Record<string, unknown>;
  value?: number;
  rate?: number;
  count?: number;
  sum?: number;
  quantiles?: Record<string, number>;
}

export interface Metric {
  name: string;
  values: MetricValue[];
}

const round = (n: number | undefined | null) => (typeof n === "number" && Number.isFinite(n) ? Math.round(n * 100) / 100 : null);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function nodePerformance(nodeId: string, metrics: readonly Metric[]) {
  const values = (name: string) => metrics.find((m) => m.name === name)?.values ?? [];
  // Requests this node handled (not those it sent), without the broker's own $node actions.
  const handled = (name: string) => values(name).filter((v) => v.labels.type === "local" && !String(v.labels.action).startsWith("$"));
  const gauge = (name: string) => (values(name).length ? round(sum(values(name).map((v) => v.value ?? 0))) : null);
  const requests = handled("moleculer.request.total");
  const actions = handled("moleculer.request.time")
    .map((v) => ({
      action: String(v.labels.action), count: v.count ?? 0, per_second: round(v.rate), mean_ms: round(v.count ? (v.sum ?? 0) / v.count : null),
      p50_ms: round(v.quantiles?.["0.5"]), p90_ms: round(v.quantiles?.["0.9"]), p99_ms: round(v.quantiles?.["0.99"]),
    }))
    .sort((a, b) => b.count - a.count || a.action.localeCompare(b.action));
  return {
    node_id: nodeId,
    reachable: true,
    calls_per_second: round(sum(requests.map((v) => v.rate ?? 0))),
    calls: sum(requests.map((v) => v.value ?? 0)),
    errors: sum(handled("moleculer.request.error.total").map((v) => v.value ?? 0)),
    /** Busiest first. */
    actions,
    event_loop_lag_ms: { p50: gauge("smartqueue_event_loop_lag_p50_ms"), p99: gauge("smartqueue_event_loop_lag_p99_ms"), max: gauge("smartqueue_event_loop_lag_max_ms") },
    open_sockets: Object.fromEntries(values("smartqueue_live_sockets").map((v) => [String(v.labels.channel), v.value ?? 0])),
    active_actors: gauge("smartqueue_queue_actors"),
    projector: { lag_seconds: gauge("smartqueue_projector_lag_seconds"), pending_commits: gauge("smartqueue_projector_pending_commits") },
  };
}

type NodePerformance = ReturnType<typeof nodePerformance>;

/** Each node's figures (null metrics: the node did not answer), and the cluster's. */
export function performanceOf(nodes: ReadonlyArray<{ id: string; metrics: readonly Metric[] | null }>, at: Date) {
  const answered = nodes.filter((n) => n.metrics).map((n) => nodePerformance(n.id, n.metrics!));
  const most = (pick: (n: NodePerformance) => number | null) => {
    const known = answered.map(pick).filter((x): x is number => x !== null);
    return known.length ? Math.max(...known) : null;
  };
  return {
    at: at.toISOString(),
    cluster: {
      nodes: nodes.length,
      reachable: answered.length,
      calls_per_second: round(sum(answered.map((n) => n.calls_per_second ?? 0))),
      errors: sum(answered.map((n) => n.errors)),
      open_sockets: sum(answered.flatMap((n) => Object.values(n.open_sockets))),
      active_actors: sum(answered.map((n) => n.active_actors ?? 0)),
      event_loop_lag_p99_ms: most((n) => n.event_loop_lag_ms.p99),
      projector_lag_seconds: most((n) => n.projector.lag_seconds),
    },
    nodes: [...answered, ...nodes.filter((n) => !n.metrics).map((n) => ({ node_id: n.id, reachable: false }))],
  };
}
