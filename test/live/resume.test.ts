import assert from "node:assert/strict";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { del, get } from "../support/http.ts";
import { aTicket } from "../support/queues.ts";
import { aBranchQueue, DISPLAY_TOKENS } from "./live-fixtures.ts";
import { assertRefused, closeClients, connect, LiveClient, queuePath } from "../support/live-client.ts";

const versionOf = async (queueId: string, token: string): Promise<number> =>
  (await get(`/api/queues/queues/${queueId}/status/`, { token })).body.version;

const eventVersions = (messages: any[]) => messages.filter((m) => m.type === "delta").flatMap((m) => m.events.map((e: { version: number }) => e.version));

const versionsBetween = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Waits until the client holds the queue's version as the API tells it. */
async function upToDate(client: LiveClient, queueId: string, token: string): Promise<number> {
  const current = await versionOf(queueId, token);
  await client.until(() => client.version === current, `version ${current}`);
  return current;
}

/**
 * A queue with a screen that came at `first`, saw one change live (so this node keeps the
 * queue's deltas from then on), then went away at `version`.
 */
async function aScreenThatLeft() {
  const fixture = await aBranchQueue();
  const { queue, display, admin } = fixture;
  const screen = await connect(queuePath(queue.id), { token: display.token });
  const first: number = (await screen.next("snapshot")).version;
  await aTicket(await aCitizen(), queue.id);
  const version = await upToDate(screen, queue.id, admin.access);
  screen.close();
  return { ...fixture, first, version };
}

describe("/ws/queue/{id}?since= (a screen coming back)", () => {
  afterEach(closeClients);

  it("gives a screen that missed changes exactly those, in order, without a snapshot, and goes on live", async () => {
    const { queue, display, admin, version } = await aScreenThatLeft();
    for (let i = 0; i < 3; i++) await aTicket(await aCitizen(), queue.id);
    const missedUpTo = await versionOf(queue.id, admin.access);
    const back = await connect(queuePath(queue.id), { token: display.token, since: version });
    await back.until(() => back.version === missedUpTo, `version ${missedUpTo}`);
    assert.deepEqual(back.messages[0], { type: "resumed", queue_id: queue.id, version });
    assert.equal(back.messages.filter((m) => m.type === "snapshot").length, 0);
    assert.deepEqual(eventVersions(back.messages), versionsBetween(version + 1, missedUpTo));
    await aTicket(await aCitizen(), queue.id);
    const final = await upToDate(back, queue.id, admin.access);
    assert.deepEqual(eventVersions(back.messages), versionsBetween(version + 1, final));
  });

  it("tells a screen that missed nothing so, in one small message", async () => {
    const { queue, display, version } = await aScreenThatLeft();
    const back = await connect(queuePath(queue.id), { token: display.token, since: version });
    assert.deepEqual(await back.next("resumed"), { type: "resumed", queue_id: queue.id, version });
    back.send({ type: "ping" });
    await back.next("pong");
    assert.deepEqual(back.messages.map((m) => m.type), ["resumed", "pong"]);
  });

  it("gives a snapshot to a screen further behind than the deltas kept, then deltas from it", async () => {
    const { queue, display, admin, first, version } = await aScreenThatLeft();
    assert.ok(first >= 1, `the queue was at ${first} when first watched`);
    const older = await connect(queuePath(queue.id), { token: display.token, since: first - 1 });
    const snapshot = await older.next("snapshot");
    assert.deepEqual([snapshot.version, older.messages.some((m) => m.type === "resumed")], [version, false]);
    await aTicket(await aCitizen(), queue.id);
    await upToDate(older, queue.id, admin.access);
  });

  it("gives a snapshot for a version the queue has not reached (another queue's, say), and refuses one that is not a version (400)", async () => {
    const { queue, display, admin } = await aScreenThatLeft();
    const busier = await aScreenThatLeft();
    for (let i = 0; i < 2; i++) await aTicket(await aCitizen(), busier.queue.id);
    const current = await versionOf(queue.id, admin.access);
    const foreign = await versionOf(busier.queue.id, busier.admin.access);
    assert.ok(foreign > current, `the other queue is at ${foreign}, this one at ${current}`);
    for (const since of [current + 1, foreign, 10 ** 15 - 1]) {
      const screen = await connect(queuePath(queue.id), { token: display.token, since });
      assert.equal((await screen.next("snapshot")).version, current);
    }
    for (const since of ["abc", "-1", "1e3", "2.5", " 3", "10000000000000000"]) {
      await assertRefused(queuePath(queue.id), { token: display.token, since }, 400, "validation_failed");
    }
    const after = await connect(queuePath(queue.id), { token: display.token, since: current });
    assert.deepEqual(await after.next("resumed"), { type: "resumed", queue_id: queue.id, version: current });
  });

  it("admits a screen coming back only as it would admit a new one", async () => {
    const { queue, display, admin, version } = await aScreenThatLeft();
    const path = queuePath(queue.id);
    await assertRefused(path, { since: version }, 401, "not_authenticated");
    await assertRefused(path, { token: (await aBranchQueue()).display.token, since: version }, 403, "forbidden");
    await assertRefused(path, { token: (await anAdministeredOrganization()).admin.access, since: version }, 403, "forbidden");
    await assertRefused(path, { token: (await aCitizen()).access, since: "garbage" }, 403, "forbidden");
    assert.equal((await del(`${DISPLAY_TOKENS}${display.id}/`, { token: admin.access })).status, 204);
    await assertRefused(path, { token: display.token, since: version }, 401, "token_invalid");
  });
});
