import assert from "node:assert/strict";
import { reconnectDelay } from "../../public/src/reconnect-delay.ts";

describe("a live page's reconnection delays", () => {
  it("double from 100 ms up to 1 s, plus up to 100 ms of jitter", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelay(attempt, () => 0)), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(reconnectDelay(0, () => 0.999), 199.9);
    assert.equal(reconnectDelay(12, () => 0.5), 1050);
  });
});
