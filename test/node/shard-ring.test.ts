import assert from "node:assert/strict";
import type { Context } from "moleculer";
import { isNodeFailure } from "../../moleculer.config.ts";
import { ConsistentShardStrategy } from "../../config/broker/consistent-shard-strategy.ts";
import { errors } from "../../mixins/api/errors.ts";

const NODES = ["node-a", "node-b", "node-c"];
const endpointsOf = (action: string) => NODES.map((id) => ({ id, action: { name: action } }));
const registry = { getActionEndpoints: (name: string) => ({ endpoints: endpointsOf(name) }) };
const broker = { localBus: { on() {} } };
const strategy = () => new ConsistentShardStrategy(registry as never, broker as never, { shardKey: "queue_id" });
const ctx = (queueId: string) => ({ params: { queue_id: queueId } }) as unknown as Context;
const QUEUES = Array.from({ length: 200 }, (_, i) => `queue-${i}`);

describe("the queue shard ring", () => {
  it("gives a queue's commands and views the same owner", () => {
    const [commands, views] = [strategy(), strategy()];
    for (const queue of QUEUES) {
      assert.equal(commands.select(endpointsOf("queues.actorCommand"), ctx(queue)).id, views.select(endpointsOf("queues.actorView"), ctx(queue)).id);
    }
  });

  it("sends a queue whose owner's breaker is open to another node, and only those queues", () => {
    const ring = strategy();
    const all = endpointsOf("queues.actorCommand");
    const open = all.filter((ep) => ep.id !== "node-b");
    let moved = 0;
    for (const queue of QUEUES) {
      const owner = ring.select(all, ctx(queue)).id;
      const now = ring.select(open, ctx(queue));
      assert.ok(now, `no endpoint for ${queue}`);
      if (owner === "node-b") {
        assert.notEqual(now.id, "node-b");
        moved++;
      } else assert.equal(now.id, owner);
    }
    assert.ok(moved > 0 && moved < QUEUES.length, `${moved} of ${QUEUES.length} moved`);
  });
});

describe("the circuit breaker's count", () => {
  it("counts a node's own failures, not the answers it gives on purpose", () => {
    for (const answer of [errors.queueMoved(), errors.storeBusy(), errors.notFound("Ticket"), errors.validation([])]) assert.equal(isNodeFailure(answer), false, answer.type);
    const timeout = Object.assign(new Error("timed out"), { code: 504, type: "REQUEST_TIMEOUT" });
    assert.equal(isNodeFailure(timeout), true);
    assert.equal(isNodeFailure(new Error("crash")), true);
  });
});
