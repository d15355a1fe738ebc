import assert from "node:assert/strict";
import { servedByWhenWritten } from "../../services/analytics/served.ts";

/** A clock the pauses move, and a lookup that finds the agent from its `foundAt`-th call. */
function aLookup(foundAt: number | null) {
  let clock = 10_000;
  let calls = 0;
  const pauses: number[] = [];
  const lookup = async () => (++calls === foundAt ? "agent-1" : null);
  const timing = { now: () => clock, pause: async (ms: number) => void (pauses.push(ms), (clock += ms)) };
  return { lookup, timing, pauses, calls: () => calls, finishedNow: () => clock };
}

describe("who served a ticket, for a rating made moments after it was completed (served.ts)", () => {
  it("answers at once when the record is written", async () => {
    const { lookup, timing, pauses, finishedNow } = aLookup(1);
    assert.equal(await servedByWhenWritten(lookup, finishedNow(), 2000, timing), "agent-1");
    assert.deepEqual(pauses, []);
  });

  it("looks again, a quarter of a batch apart, until the batch with the record is written", async () => {
    const { lookup, timing, pauses, finishedNow } = aLookup(3);
    assert.equal(await servedByWhenWritten(lookup, finishedNow(), 2000, timing), "agent-1");
    assert.deepEqual(pauses, [500, 500]);
  });

  it("gives up two batches (and a second) after the completion, with no agent", async () => {
    const { lookup, timing, pauses, calls, finishedNow } = aLookup(null);
    const finishedAt = finishedNow();
    assert.equal(await servedByWhenWritten(lookup, finishedAt, 2000, timing), null);
    assert.equal(pauses.reduce((a, b) => a + b, 0), 5000);
    assert.equal(calls(), 11);
  });

  it("does not wait for a ticket completed long ago", async () => {
    const { lookup, timing, pauses, calls, finishedNow } = aLookup(null);
    assert.equal(await servedByWhenWritten(lookup, finishedNow() - 60_000, 2000, timing), null);
    assert.deepEqual([pauses.length, calls()], [0, 1]);
  });
});
