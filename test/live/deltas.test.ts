import assert from "node:assert/strict";
import { Coalescer } from "../../services/live/coalescer.ts";
import { merge, unseenBy, type Delta } from "../../services/live/delta.ts";
import { aDelta } from "./live-fixtures.ts";

/** A coalescer whose ticks the test turns by hand. */
function aCoalescer() {
  const published: Delta[] = [];
  let tick: (() => void) | undefined;
  const coalescer = new Coalescer(
    (delta) => published.push(delta),
    (flush) => (tick = flush),
  );
  return { coalescer, published, tick: () => tick?.() };
}

describe("live deltas", () => {
  it("merges a delta that starts right after another, keeping the latest sent_at", () => {
    const merged = merge(aDelta(3, 4, "q1", 100), aDelta(5, 5, "q1", 90))!;
    assert.deepEqual([merged.from_version, merged.version, merged.sent_at], [3, 5, 100]);
    assert.deepEqual(merged.events.map((e) => e.version), [3, 4, 5]);
  });

  it("does not merge across a gap or a repeat", () => {
    assert.equal(merge(aDelta(3, 4), aDelta(6, 6)), null);
    assert.equal(merge(aDelta(3, 4), aDelta(4, 5)), null);
  });

  it("trims what a client has already seen and keeps a gap visible", () => {
    assert.equal(unseenBy(aDelta(3, 5), 5), null);
    const tail = unseenBy(aDelta(3, 5), 3)!;
    assert.deepEqual([tail.from_version, tail.version, tail.events.map((e) => e.version)], [4, 5, [4, 5]]);
    assert.deepEqual(unseenBy(aDelta(8, 9), 5), aDelta(8, 9));
  });
});

describe("live coalescer", () => {
  it("publishes a burst on one queue within a tick as one delta", () => {
    const { coalescer, published, tick } = aCoalescer();
    coalescer.push(aDelta(1, 1, "q1", 10));
    coalescer.push(aDelta(2, 3, "q1", 30));
    coalescer.push(aDelta(4, 4, "q1", 20));
    assert.equal(published.length, 0);
    tick();
    assert.equal(published.length, 1);
    assert.deepEqual([published[0].from_version, published[0].version, published[0].sent_at], [1, 4, 30]);
    assert.deepEqual(published[0].events.map((e) => e.version), [1, 2, 3, 4]);
  });

  it("keeps queues apart and starts afresh after each tick", () => {
    const { coalescer, published, tick } = aCoalescer();
    coalescer.push(aDelta(1, 1, "q1"));
    coalescer.push(aDelta(7, 7, "q2"));
    tick();
    coalescer.push(aDelta(2, 2, "q1"));
    tick();
    assert.deepEqual(published.map((d) => [d.queue_id, d.from_version, d.version]), [["q1", 1, 1], ["q2", 7, 7], ["q1", 2, 2]]);
  });

  it("publishes in arrival order, unmerged, what does not follow on", () => {
    const { coalescer, published, tick } = aCoalescer();
    coalescer.push(aDelta(1, 2));
    coalescer.push(aDelta(5, 5));
    coalescer.push(aDelta(6, 6));
    tick();
    assert.deepEqual(published.map((d) => [d.from_version, d.version]), [[1, 2], [5, 6]]);
  });

  it("defers at most one flush per tick", () => {
    let scheduled = 0;
    const coalescer = new Coalescer(() => {}, () => scheduled++);
    for (let v = 1; v <= 5; v++) coalescer.push(aDelta(v, v));
    assert.equal(scheduled, 1);
  });

  it("flushes on the next turn of the event loop by default", async () => {
    const published: Delta[] = [];
    const coalescer = new Coalescer((delta) => published.push(delta));
    coalescer.push(aDelta(1, 1));
    coalescer.push(aDelta(2, 2));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(published.map((d) => [d.from_version, d.version]), [[1, 2]]);
  });
});
