// The request metrics a node keeps: for each action it handles, how many calls, how long
// they took and how many failed (`moleculer.request.total`, `.time`, `.error.total`,
// under Moleculer's own names and labels, so GET /api/analytics/performance/ and
// Prometheus read them as before). This replaces Moleculer's built-in Metrics
// middleware, which also kept active and per-level request gauges and four figures per
// event listener: one ticket command broadcasts `queue.changed` to five services, and
// that bookkeeping (a label string hashed for every update) was 5.7% of a node's
// wall-clock profile under call-next, 2.9% with this middleware's first version
// (docs/bench-runs/2026-12-03-per-command-costs.md). Calls a node sends to another are
// counted where they are handled.
//
// A call only counts itself and notes its time; the registry takes them in batches, per
// action and caller, every second and whenever it is read. A REST request runs about five
// actions, and adding each to the registry at once (a label string hashed for the count,
// again for the time, a dozen histogram buckets) cost the node 8–9% of its call-next
// throughput (docs/bench-runs/2026-12-04-request-metrics.md).
import type { Middleware, ServiceBroker } from "moleculer";
import { BATCHED_HISTOGRAM, type BatchedHistogram } from "./batched-histogram.ts";

const TOTAL = "moleculer.request.total";
const TIME = "moleculer.request.time";
const ERRORS = "moleculer.request.error.total";
const LABELS = ["service", "action", "type", "caller"];
const FLUSH_EVERY_MS = 1000;
/** The action the registry is read through (each node answers for itself). */
const READ_ACTION = "$node.metrics";

/** One action's calls from one caller since the registry last took them. */
interface Tally {
  labels: { service: string | null; action: string; type: "local"; caller: string | null };
  calls: number;
  times: number[];
}

/** Moleculer calls a middleware's hooks with the broker as `this`. */
export function requestMetrics() {
  const tallies: Tally[] = [];
  type Counter = { increment(labels: object, value: number): void } | null;
  let total: Counter = null;
  let errors: Counter = null;
  let time: BatchedHistogram | null = null;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    for (const tally of tallies) {
      if (tally.calls) total?.increment(tally.labels, tally.calls);
      time?.observeAll(tally.times, tally.labels);
      tally.calls = 0;
      tally.times = [];
    }
  };

  return {
    name: "RequestMetrics",
    created(this: ServiceBroker) {
      const metrics = this.metrics;
      total = metrics.register({ name: TOTAL, type: "counter", labelNames: LABELS, unit: "request", description: "Number of requests", rate: true }) as Counter;
      errors = metrics.register({ name: ERRORS, type: "counter", labelNames: [...LABELS, "errorName", "errorCode", "errorType"], unit: "request", description: "Number of request errors", rate: true }) as Counter;
      time = metrics.register({ name: TIME, type: BATCHED_HISTOGRAM, labelNames: LABELS, quantiles: true, buckets: true, unit: "millisecond", description: "Request times in milliseconds", rate: true }) as unknown as BatchedHistogram | null;
    },
    started() {
      timer = setInterval(flush, FLUSH_EVERY_MS).unref();
    },
    stopped() {
      clearInterval(timer);
    },
    localAction(next: (ctx: { caller: string | null }) => Promise<unknown>, action: { name: string; service?: { fullName: string } }) {
      const service = action.service?.fullName ?? null;
      const byCaller = new Map<string | null, Tally>();
      const tallyOf = (caller: string | null) => {
        let tally = byCaller.get(caller);
        if (!tally) {
          tally = { labels: { service, action: action.name, type: "local", caller }, calls: 0, times: [] };
          byCaller.set(caller, tally);
          tallies.push(tally);
        }
        return tally;
      };
      const measured = function measured(ctx: { caller: string | null }) {
        const tally = tallyOf(ctx.caller);
        tally.calls++;
        const started = performance.now();
        return next(ctx).then(
          (result) => {
            tally.times.push(performance.now() - started);
            return result;
          },
          (err: { name?: string; code?: number; type?: string } | undefined) => {
            tally.times.push(performance.now() - started);
            errors?.increment({ ...tally.labels, errorName: err?.name ?? null, errorCode: err?.code ?? null, errorType: err?.type ?? null }, 1);
            throw err;
          },
        );
      };
      if (action.name !== READ_ACTION) return measured;
      // Whoever reads the registry reads every call counted so far.
      return (ctx: { caller: string | null }) => {
        flush();
        return measured(ctx);
      };
    },
  } as unknown as Middleware;
}
