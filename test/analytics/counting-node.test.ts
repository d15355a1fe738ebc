import assert from "node:assert/strict";
import { countsChange } from "../../services/analytics/counting-node.ts";

describe("the node that counts a queue change", () => {
  const nodes = ["node-b", "node-a", "node-c"];

  it("is the sender when the sender runs analytics, and no other", () => {
    assert.deepEqual(nodes.filter((self) => countsChange(nodes, "node-c", self)), ["node-c"]);
  });

  it("is the first analytics node by name when the sender runs none", () => {
    assert.deepEqual(nodes.filter((self) => countsChange(nodes, "queues-only", self)), ["node-a"]);
  });

  it("is nobody when no node runs analytics", () => {
    assert.equal(countsChange([], "node-a", "node-a"), false);
  });
});
