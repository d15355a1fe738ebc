import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue, aRunningQueue } from "../support/queues.ts";
import { eventually } from "../support/eventually.ts";

describe("Idempotency-Key on ticket creation", () => {
  it("creates one ticket for 50 concurrent POSTs with one key", async () => {
    const { queue } = await aRunningQueue();
    const citizen = await aCitizen();
    const headers = { "idempotency-key": `kiosk-press-${Date.now()}` };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => post("/api/queues/tickets/", { queue_id: queue.id }, { token: citizen.access, headers })),
    );
    assert.deepEqual([...new Set(replies.map((r) => r.status))], [201], JSON.stringify(replies.find((r) => r.status !== 201)?.body));
    assert.equal(new Set(replies.map((r) => r.body.id)).size, 1);
    // The list reads the tickets read model, written behind the acknowledgement.
    const mine = await eventually(() => get(`/api/queues/tickets/my/`, { token: citizen.access }), (r) => r.body.count > 0);
    assert.equal(mine.body.count, 1);
    assert.equal(mine.body.results[0].number, "A-001");
  });

  it("gives a different key a different ticket, and refuses one key for two queues", async () => {
    const { queue, admin, org } = await aRunningQueue();
    const citizen = await aCitizen();
    const issue = (key: string, queueId = queue.id) => post("/api/queues/tickets/", { queue_id: queueId }, { token: citizen.access, headers: { "idempotency-key": key } });
    const a = await issue("k-1");
    const b = await issue("k-2");
    assert.notEqual(a.body.id, b.body.id);
    assert.equal((await issue("k-1")).body.id, a.body.id);
    const other = await aQueue(admin, org.id, { prefix: "Z" });
    assertError(await issue("k-1", other.id), 409, "conflict");
    assertError(await issue("x".repeat(201)), 400, "validation_failed");
  });

  it("answers a key repeated after its ticket ended with that ticket as it is, not a new one", async () => {
    const { queue, agent, counters } = await aRunningQueue();
    const citizen = await aCitizen();
    const headers = { "idempotency-key": `app-retry-${Date.now()}` };
    const first = await post("/api/queues/tickets/", { queue_id: queue.id }, { token: citizen.access, headers });
    assert.equal(first.status, 201);
    const staff = { token: agent.access };
    assert.equal((await post(`/api/queues/queues/${queue.id}/call-next/`, { counter_id: counters[0] }, staff)).status, 200);
    assert.equal((await post(`/api/queues/tickets/${first.body.id}/start/`, {}, staff)).status, 200);
    assert.equal((await post(`/api/queues/tickets/${first.body.id}/complete/`, {}, staff)).status, 200);
    for (const read of [() => Promise.resolve(), () => eventually(() => get(`/api/queues/tickets/${first.body.id}/`, { token: citizen.access }), (r) => r.body.status === "completed")]) {
      await read(); // once while the owner still holds the change, once from the read model
      const again = await post("/api/queues/tickets/", { queue_id: queue.id }, { token: citizen.access, headers });
      assert.deepEqual([again.status, again.body.id, again.body.number, again.body.status], [201, first.body.id, "A-001", "completed"]);
    }
    const status = await get(`/api/queues/queues/${queue.id}/status/`, { token: citizen.access });
    assert.equal(status.body.waiting_count, 0, "the repeat put no ticket in the queue");
  });
});

