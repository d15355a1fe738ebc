// Every histogram's time window is read through sortedSnapshot once the broker's settings
// are loaded, and it must show what Moleculer's own snapshot showed for the same values.
import assert from "node:assert/strict";
import fc from "fast-check";
import { MetricTypes, ServiceBroker } from "moleculer";
import "../../moleculer.config.ts";
import { sortedSnapshot } from "../../config/broker/quantile-snapshot.ts";

/** Moleculer 0.14's TimeWindowQuantiles.snapshot, as it computes its figures. */
function moleculersFigures(values: number[], quantiles: number[]) {
  const samples = [...values].sort((a, b) => a - b);
  const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : null;
  const variance = samples.length > 1 ? samples.reduce((a, b) => a + Math.pow(b - mean!, 2), 0) / (samples.length - 1) : null;
  return {
    min: samples.length ? samples[0] : null,
    mean,
    variance,
    stdDev: variance ? Math.sqrt(variance) : null,
    max: samples.length ? samples[samples.length - 1] : null,
    quantiles: quantiles.reduce((a, q) => ({ ...a, [q]: samples[Math.ceil(q * samples.length) - 1] }), {}),
  };
}

describe("quantile snapshots", () => {
  it("are taken by sortedSnapshot for every histogram once the broker's settings are loaded", () => {
    const windows = (MetricTypes.Histogram as unknown as { TimeWindowQuantiles: { prototype: { snapshot: unknown } } }).TimeWindowQuantiles;
    assert.equal(windows.prototype.snapshot, sortedSnapshot);
  });

  it("show the figures Moleculer's own snapshot showed for the same values", () => {
    const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
    const quantiles = [0.5, 0.9, 0.95, 0.99, 0.999];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 20_000, noNaN: true }), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (values) => {
        const histogram = new MetricTypes.Histogram({ type: "histogram", name: "t", labelNames: ["action"], quantiles } as never, broker.metrics as never);
        for (const value of values) histogram.observe(value, { action: "a" });
        const snapshot = histogram.generateSnapshot()[0] as unknown as Record<string, unknown> | undefined;
        const { min, mean, variance, stdDev, max, quantiles: got } = snapshot ?? {};
        assert.deepEqual({ min, mean, variance, stdDev, max, quantiles: got }, values.length ? moleculersFigures(values, quantiles) : { min: undefined, mean: undefined, variance: undefined, stdDev: undefined, max: undefined, quantiles: undefined });
      }),
      { numRuns: 300 },
    );
  });
});
