import assert from "node:assert/strict";
import { assertError } from "../support/assertions.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue, aRunningQueue } from "../support/queues.ts";

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
    const mine = await get(`/api/queues/tickets/my/`, { token: citizen.access });
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
});
