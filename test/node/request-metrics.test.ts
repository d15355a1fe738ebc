// The request metrics middleware counts each call and notes its time, and hands them to
// Moleculer's registry in batches: what the registry shows must be what Moleculer's own
// histogram would show had it taken every value one at a time, and a reader of the
// registry must see every call made before it read.
import assert from "node:assert/strict";
import fc from "fast-check";
import { Errors, MetricTypes, ServiceBroker } from "moleculer";
import { BATCHED_HISTOGRAM, BatchedHistogram } from "../../config/broker/batched-histogram.ts";
import { requestMetrics } from "../../config/broker/request-metrics.ts";

type Snapshot = {
  count: number; sum: number; lastValue: number; buckets: Record<string, number>; quantiles: Record<string, number>; labels: object;
  min: number | null; max: number | null; mean: number | null; variance: number | null; stdDev: number | null;
};

const metricsBroker = (middlewares: unknown[] = []) => new ServiceBroker({ logger: false, metrics: { enabled: true }, internalMiddlewares: false, middlewares: middlewares as never });

describe("request metrics", () => {
  it("a batched histogram shows what Moleculer's shows for the same values taken one at a time", () => {
    const broker = metricsBroker();
    const labels = { action: "a" };
    fc.assert(
      fc.property(
        // Whole milliseconds too, so that values fall on the buckets' bounds.
        fc.array(fc.array(fc.oneof(fc.double({ min: 0, max: 20_000, noNaN: true }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 21, max: 15_000 })), { minLength: 1, maxLength: 14 }),
        (batches, bounds) => {
          const buckets = [...bounds].sort((a, b) => a - b);
          const options = { name: "t", labelNames: ["action"], quantiles: true, buckets, rate: true };
          const batched = new BatchedHistogram({ ...options, type: BATCHED_HISTOGRAM }, broker.metrics);
          const oneByOne = new MetricTypes.Histogram({ ...options, type: "histogram" } as never, broker.metrics as never);
          for (const batch of batches) {
            batched.observeAll(batch, labels);
            for (const value of batch) oneByOne.observe(value, labels);
          }
          const [got] = batched.generateSnapshot() as unknown as Snapshot[];
          const want = oneByOne.generateSnapshot()[0] as unknown as Snapshot;
          assert.equal(batched.type, "histogram");
          assert.deepEqual([got!.count, got!.lastValue, got!.buckets, got!.quantiles, got!.labels], [want.count, want.lastValue, want.buckets, want.quantiles, want.labels]);
          // The window's figures, from its values sorted another way (sortedSnapshot).
          assert.deepEqual([got!.min, got!.max, got!.mean, got!.variance, got!.stdDev], [want.min, want.max, want.mean, want.variance, want.stdDev]);
          assert.ok(Math.abs(got!.sum - want.sum) <= 1e-6 * Math.max(1, want.sum), `${got!.sum} against ${want.sum}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("shows every call, its time and its failure to whoever reads the registry right after", async () => {
    const broker = metricsBroker([requestMetrics()]);
    broker.createService({
      name: "office",
      actions: {
        open: async () => "open",
        shut: async () => {
          throw new Errors.MoleculerClientError("no such counter", 404, "not_found");
        },
        front: async (ctx) => ctx.call("office.open"),
      },
    });
    await broker.start();
    try {
      for (let i = 0; i < 7; i++) await broker.call("office.front");
      for (let i = 0; i < 3; i++) await assert.rejects(broker.call("office.shut"), { code: 404 });
      const metrics = await broker.call<Array<{ name: string; type: string; values: Array<Snapshot & { value?: number; labels: Record<string, unknown> }> }>, object>("$node.metrics", { includes: ["moleculer.request.**"] });
      const values = (name: string) => metrics.find((m) => m.name === name)!.values;
      const of = (name: string, action: string, caller: string | null = null) => values(name).find((v) => v.labels.action === action && v.labels.caller === caller);
      assert.equal(of("moleculer.request.total", "office.front")?.value, 7);
      assert.equal(of("moleculer.request.total", "office.open", "office")?.value, 7, "a call from another action is counted under its caller");
      assert.equal(of("moleculer.request.total", "office.shut")?.value, 3);
      const frontTimes = of("moleculer.request.time", "office.front")!;
      assert.equal(frontTimes.count, 7);
      assert.ok(frontTimes.sum > 0 && frontTimes.quantiles["0.99"]! >= frontTimes.quantiles["0.5"]!, JSON.stringify(frontTimes));
      assert.equal(metrics.find((m) => m.name === "moleculer.request.time")!.type, "histogram");
      assert.equal(of("moleculer.request.time", "office.shut")!.count, 3, "a failed call's time is noted too");
      const failures = values("moleculer.request.error.total").filter((v) => v.labels.action === "office.shut");
      assert.deepEqual(failures.map((v) => [v.value, v.labels.errorCode, v.labels.errorType]), [[3, 404, "not_found"]]);
    } finally {
      await broker.stop();
    }
  });
});
