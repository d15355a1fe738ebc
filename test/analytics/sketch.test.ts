import assert from "node:assert/strict";
import { addInto, bucketOf, mergeInto, quantile, total, type Sketch } from "../../services/analytics/sketch.ts";

const sketchOf = (values: number[]): Sketch => values.reduce((s, v) => addInto(s, v), {} as Sketch);
/** Nearest-rank quantile of the exact values, to compare with. */
const exact = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1]!;

describe("the duration sketch", () => {
  it("answers nothing for no values", () => {
    assert.equal(quantile({}, 0.5), null);
  });

  it("answers the median and p90 within 5 % of the exact values from one second up", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values = Array.from({ length: 5000 }, () => Math.round(1000 + random() * random() * 3_600_000));
    const s = sketchOf(values);
    for (const q of [0.5, 0.9]) {
      const got = quantile(s, q)!;
      const want = exact(values, q);
      assert.ok(Math.abs(got - want) / want <= 0.05, `q=${q}: ${got} vs ${want}`);
    }
  });

  it("puts values under a second in one bucket answered as half a second", () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(999), 0);
    assert.equal(quantile(sketchOf([10, 20, 900]), 0.5), 500);
  });

  it("keeps durations past a day in its last bucket rather than growing", () => {
    assert.equal(bucketOf(86_400_000 * 3), bucketOf(86_400_000 * 30));
  });

  it("merges two sketches into the sketch of all their values", () => {
    const a = [1500, 60_000, 120_000];
    const b = [3000, 900_000];
    assert.deepEqual(mergeInto(sketchOf(a), sketchOf(b)), sketchOf([...a, ...b]));
    assert.equal(total(mergeInto(sketchOf(a), sketchOf(b))), 5);
  });

  it("does not change the sketch it merges from", () => {
    const b = sketchOf([5000]);
    mergeInto(sketchOf([5000]), b);
    assert.equal(total(b), 1);
  });
});
