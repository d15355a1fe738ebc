import assert from "node:assert/strict";
import { DeltaRing } from "../../services/live/delta-ring.ts";
import type { Delta } from "../../services/live/delta.ts";
import { aDelta } from "./live-fixtures.ts";

const spans = (deltas: Delta[] | null) => deltas?.map((d) => [d.from_version, d.version]) ?? null;

describe("live delta ring (what a returning screen missed)", () => {
  it("gives a client exactly the deltas after its version, the first trimmed, and nothing when it is up to date", () => {
    const ring = new DeltaRing();
    for (const delta of [aDelta(3, 4), aDelta(5, 5), aDelta(6, 8)]) ring.record(delta);
    assert.deepEqual(spans(ring.since("q1", 2)), [[3, 4], [5, 5], [6, 8]]);
    assert.deepEqual(spans(ring.since("q1", 3)), [[4, 4], [5, 5], [6, 8]]);
    assert.deepEqual(ring.since("q1", 3)![0].events.map((e) => e.version), [4]);
    assert.deepEqual(spans(ring.since("q1", 7)), [[8, 8]]);
    assert.deepEqual(ring.since("q1", 8), []);
  });

  it("knows nothing of versions older than its oldest delta, ahead of its newest, or of other queues", () => {
    const ring = new DeltaRing();
    ring.record(aDelta(3, 4));
    assert.equal(ring.since("q1", 1), null);
    assert.equal(ring.since("q1", 5), null);
    assert.equal(ring.since("q2", 3), null);
  });

  it("keeps so many deltas per queue, forgetting the oldest", () => {
    const ring = new DeltaRing(3);
    for (let v = 1; v <= 5; v++) ring.record(aDelta(v, v));
    assert.equal(ring.since("q1", 1), null);
    assert.deepEqual(spans(ring.since("q1", 2)), [[3, 3], [4, 4], [5, 5]]);
  });

  it("trims a repeat and starts afresh after a gap, so what it gives always follows on", () => {
    const ring = new DeltaRing();
    ring.record(aDelta(1, 2));
    ring.record(aDelta(2, 3));
    ring.record(aDelta(1, 1));
    assert.deepEqual(spans(ring.since("q1", 0)), [[1, 2], [3, 3]]);
    ring.record(aDelta(6, 6));
    assert.equal(ring.since("q1", 3), null);
    assert.deepEqual(spans(ring.since("q1", 5)), [[6, 6]]);
  });

  it("starts a queue at a fetched snapshot's version, extended by what follows and started afresh by a gap; a kept span is left as it is", () => {
    const ring = new DeltaRing();
    ring.startAt("q1", 7);
    assert.deepEqual(ring.since("q1", 7), []);
    assert.deepEqual([ring.since("q1", 6), ring.since("q1", 8)], [null, null]);
    ring.record(aDelta(8, 9));
    assert.deepEqual(spans(ring.since("q1", 7)), [[8, 9]]);
    ring.startAt("q1", 9);
    assert.deepEqual(spans(ring.since("q1", 7)), [[8, 9]]);
    ring.record(aDelta(11, 11));
    assert.equal(ring.since("q1", 7), null);
    assert.deepEqual(ring.since("q1", 11), []);
  });

  it("keeps so many queues, forgetting the least recently changed", () => {
    const ring = new DeltaRing(8, 2);
    ring.record(aDelta(1, 1, "q1"));
    ring.record(aDelta(1, 1, "q2"));
    ring.record(aDelta(2, 2, "q1"));
    ring.record(aDelta(1, 1, "q3"));
    assert.deepEqual([ring.has("q1"), ring.has("q2"), ring.has("q3")], [true, false, true]);
    ring.startAt("q4", 1);
    assert.deepEqual([ring.has("q1"), ring.has("q3"), ring.has("q4")], [false, true, true]);
  });
});
