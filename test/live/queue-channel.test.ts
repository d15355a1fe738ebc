import assert from "node:assert/strict";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin } from "../support/fixtures.ts";
import { del, get } from "../support/http.ts";
import { aTicket } from "../support/queues.ts";
import { aBranchQueue, aDisplayToken, callNext, DISPLAY_TOKENS } from "./live-fixtures.ts";
import { assertRefused, attempt, closeClients, connect, LiveClient, queuePath } from "../support/live-client.ts";

const versionOf = async (queueId: string, token: string): Promise<number> =>
  (await get(`/api/queues/queues/${queueId}/status/`, { token })).body.version;

const eventTypes = (messages: any[]) => messages.filter((m) => m.type === "delta").flatMap((m) => m.events.map((e: { type: string }) => e.type));

describe("/ws/queue/{id}", () => {
  afterEach(closeClients);

  it("gives a screen the snapshot, then every change as deltas in version order, without a gap", async () => {
    const { queue, counter, agent, display, admin } = await aBranchQueue();
    const screen = await connect(queuePath(queue.id), { token: display.token });
    const snapshot = await screen.next("snapshot");
    assert.deepEqual([snapshot.queue_id, snapshot.snapshot.queue_id, snapshot.version], [queue.id, queue.id, snapshot.snapshot.version]);
    const citizens = await Promise.all([1, 2, 3, 4].map(() => aCitizen()));
    await Promise.all(citizens.map((c) => aTicket(c, queue.id)));
    const [called] = await Promise.all([callNext(agent, queue.id, counter), ...citizens.slice(0, 2).map((c) => aTicket(c, queue.id))]);
    const final = await versionOf(queue.id, admin.access);
    await screen.until(() => screen.version === final, `version ${final}`);
    const types = eventTypes(screen.messages);
    assert.equal(types.filter((t) => t === "ticket.issued").length, 6);
    assert.equal(types.filter((t) => t === "ticket.called").length, 1);
    const call = screen.messages.flatMap((m) => m.events ?? []).find((e: { type: string }) => e.type === "ticket.called");
    assert.deepEqual([call.ticket.id, call.counter_name], [called.id, "Guichet 1"]);
    const delta = screen.messages.find((m) => m.type === "delta");
    assert.deepEqual(Object.keys(delta).sort(), ["events", "from_version", "queue_id", "sent_at", "type", "version"]);
  });

  it("lets the organisation's staff and a platform admin watch, with the token as a header too", async () => {
    const { queue, admin, agent } = await aBranchQueue();
    for (const options of [{ token: admin.access }, { bearer: agent.access }, { token: (await aPlatformAdmin()).access }]) {
      const watcher = await connect(queuePath(queue.id), options);
      assert.equal((await watcher.next("snapshot")).queue_id, queue.id);
    }
  });

  it("takes the token as a subprotocol without echoing it, and in the URL only for a screen", async () => {
    const { queue, admin, display } = await aBranchQueue();
    const watcher = await connect(queuePath(queue.id), { token: admin.access });
    assert.equal(watcher.socket.protocol, "smartqueue");
    const refused = await attempt(queuePath(queue.id), { urlToken: admin.access });
    assert.ok(!(refused instanceof LiveClient));
    assert.deepEqual([refused.status, refused.body.error.code], [401, "not_authenticated"]);
    assert.match(refused.body.error.message, /only a display token may be sent in the URL/);
    const screen = await connect(queuePath(queue.id), { urlToken: display.token });
    assert.equal((await screen.next("snapshot")).queue_id, queue.id);
  });

  it("answers a resync with a fresh snapshot and goes on without a gap", async () => {
    const { queue, display, admin } = await aBranchQueue();
    const screen = await connect(queuePath(queue.id), { token: display.token });
    await screen.next("snapshot");
    await aTicket(await aCitizen(), queue.id);
    const current = await versionOf(queue.id, admin.access);
    await screen.until(() => screen.version === current, `version ${current}`);
    screen.send({ type: "resync" });
    const fresh = await screen.next("snapshot", 1);
    assert.deepEqual([fresh.version, fresh.snapshot.waiting_count], [current, 1]);
    await aTicket(await aCitizen(), queue.id);
    const final = await versionOf(queue.id, admin.access);
    await screen.until(() => screen.version === final, `version ${final}`);
  });

  it("refuses anonymous and invalid tokens (401), citizens and other organisations' staff (403), unknown queues (404)", async () => {
    const { queue, admin } = await aBranchQueue();
    const path = queuePath(queue.id);
    await assertRefused(path, {}, 401, "not_authenticated");
    await assertRefused(path, { token: "not.a.jwt" }, 401, "token_invalid");
    await assertRefused(path, { bearer: admin.refresh }, 401, "token_invalid");
    await assertRefused(path, { token: (await aCitizen()).access }, 403, "forbidden");
    const other = await anAdministeredOrganization();
    await assertRefused(path, { token: other.admin.access }, 403, "forbidden");
    await assertRefused(path, { token: (await anAgent(other.org.id)).access }, 403, "forbidden");
    await assertRefused(queuePath("0123456789abcdef01234567"), { token: admin.access }, 404, "not_found");
    await assertRefused("/ws/elsewhere", { token: admin.access }, 404, "route_not_found");
  });

  it("refuses a revoked screen token (401) and the screens of other branches (403)", async () => {
    const { queue, display, admin, org } = await aBranchQueue();
    const annex = await aDisplayToken(admin, (await aBranch(admin, org.id, { name: "Agence Médina" })).id);
    await assertRefused(queuePath(queue.id), { token: annex.token }, 403, "forbidden");
    await assertRefused(queuePath(queue.id), { token: (await aBranchQueue()).display.token }, 403, "forbidden");
    // Let in once first, so the node remembers the token: revoking must drop that at once.
    (await connect(queuePath(queue.id), { token: display.token })).close();
    assert.equal((await del(`${DISPLAY_TOKENS}${display.id}/`, { token: admin.access })).status, 204);
    await assertRefused(queuePath(queue.id), { token: display.token }, 401, "token_invalid");
    const renewed = await aDisplayToken(admin, display.branch_id);
    await connect(queuePath(queue.id), { token: renewed.token });
  });

  it("answers bad client messages with an error message and keeps the socket open", async () => {
    const { queue, display, admin } = await aBranchQueue();
    const screen = await connect(queuePath(queue.id), { token: display.token });
    await screen.next("snapshot");
    screen.send("not json");
    assert.equal((await screen.next("error")).error.code, "malformed_json");
    screen.send({ type: "subscribe", queue_id: "x" });
    const invalid = await screen.next("error", screen.messages.length);
    assert.equal(invalid.error.code, "validation_failed");
    assert.ok(Array.isArray(invalid.error.details.fields));
    screen.send({ type: "ping" });
    await screen.next("pong");
    await aTicket(await aCitizen(), queue.id);
    const final = await versionOf(queue.id, admin.access);
    await screen.until(() => screen.version === final, `version ${final} after the bad messages`);
    assert.equal(screen.closeCode, null);
  });

  it("closes a socket that sends more than 4 KB at once", async () => {
    const { queue, display } = await aBranchQueue();
    const screen = await connect(queuePath(queue.id), { token: display.token });
    await screen.next("snapshot");
    screen.send({ type: "ping", padding: "x".repeat(5000) });
    assert.equal(await screen.closed(), 1006);
  });
});
