// Queue definitions are read from the cacher directly once remembered, and through the
// `queues.queueById` action otherwise: the key read must be the one the action's cache
// writes, or every lookup would pay the call again (and `forget` would leave it stale).
import assert from "node:assert/strict";
import { ServiceBroker, type Middleware } from "moleculer";
import { QUEUE_BY_ID, QUEUE_BY_ID_CACHE, queueCache } from "../../services/queues/queue-cache.ts";

describe("queue cache", () => {
  let broker: ServiceBroker;
  let calls: number;
  let reads: number;
  const stored = new Map([["q1", { _id: "q1", name: "Caisse" }]]);

  beforeEach(async () => {
    [calls, reads] = [0, 0];
    const countCalls: Middleware = { name: "CountCalls", call: (next: (...args: unknown[]) => unknown) => (name: string, ...rest: unknown[]) => (name === QUEUE_BY_ID && calls++, next(name, ...rest)) } as never;
    broker = new ServiceBroker({ logger: false, cacher: "Memory", middlewares: [countCalls] });
    broker.createService({
      name: "queues",
      actions: { queueById: { cache: QUEUE_BY_ID_CACHE, handler: (ctx) => (reads++, stored.get((ctx.params as { id: string }).id) ?? null) } },
    });
    await broker.start();
  });
  afterEach(() => broker.stop());

  it("reads a remembered queue without calling the action, and calls it again once forgotten", async () => {
    const queues = queueCache(() => broker);
    assert.deepEqual(await queues.get("q1"), { _id: "q1", name: "Caisse" });
    assert.deepEqual([calls, reads], [1, 1]);
    assert.deepEqual(await queues.get("q1"), { _id: "q1", name: "Caisse" });
    assert.deepEqual([calls, reads], [1, 1], "the second lookup went through the broker");
    await queues.forget("q1");
    assert.deepEqual(await queues.get("q1"), { _id: "q1", name: "Caisse" });
    assert.deepEqual([calls, reads], [2, 2]);
  });

  it("answers null for a queue that does not exist", async () => {
    assert.equal(await queueCache(() => broker).get("nope"), null);
    assert.equal(reads, 1);
  });
});
