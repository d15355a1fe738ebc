// The request metrics a node keeps: for each action it handles, how many calls, how long
// they took and how many failed (`moleculer.request.total`, `.time`, `.error.total`,
// under Moleculer's own names and labels, so GET /api/analytics/performance/ and
// Prometheus read them as before). This replaces Moleculer's built-in Metrics
// middleware, which also kept active and per-level request gauges and four figures per
// event listener: one ticket command broadcasts `queue.changed` to five services, and
// that bookkeeping (a label string hashed for every update) was 5.7% of a node's
// wall-clock profile under call-next, 2.9% with this one
// (docs/bench-runs/2026-12-03-per-command-costs.md). Calls a node sends to another are
// counted where they are handled.
import type { Middleware, ServiceBroker } from "moleculer";

const TOTAL = "moleculer.request.total";
const TIME = "moleculer.request.time";
const ERRORS = "moleculer.request.error.total";
const LABELS = ["service", "action", "type", "caller"];

/** Moleculer calls a middleware's hooks with the broker as `this`. */
export const requestMetrics = {
  name: "RequestMetrics",
  created(this: ServiceBroker) {
    const metrics = this.metrics;
    metrics.register({ name: TOTAL, type: "counter", labelNames: LABELS, unit: "request", description: "Number of requests", rate: true });
    metrics.register({ name: ERRORS, type: "counter", labelNames: [...LABELS, "errorName", "errorCode", "errorType"], unit: "request", description: "Number of request errors", rate: true });
    metrics.register({ name: TIME, type: "histogram", labelNames: LABELS, quantiles: true, buckets: true, unit: "millisecond", description: "Request times in milliseconds", rate: true });
  },
  localAction(this: ServiceBroker, next: (ctx: { caller: string | null }) => Promise<unknown>, action: { name: string; service?: { fullName: string } }) {
    const metrics = this.metrics;
    const service = action.service?.fullName ?? null;
    return function measured(ctx: { caller: string | null }) {
      const labels = { service, action: action.name, type: "local", caller: ctx.caller };
      metrics.increment(TOTAL, labels);
      const started = performance.now();
      return next(ctx).then(
        (result) => {
          metrics.observe(TIME, performance.now() - started, labels);
          return result;
        },
        (err: { name?: string; code?: number; type?: string } | undefined) => {
          metrics.observe(TIME, performance.now() - started, labels);
          metrics.increment(ERRORS, { ...labels, errorName: err?.name ?? null, errorCode: err?.code ?? null, errorType: err?.type ?? null });
          throw err;
        },
      );
    };
  },
} as unknown as Middleware;
