// Clients that abuse the live channels: a flood of messages closes the socket that sends
// it, and one address cannot hold more than WS_MAX_SOCKETS_PER_ADDRESS sockets; the other
// screens go on meanwhile.
import assert from "node:assert/strict";
import { MessageBudget, SocketsPerAddress } from "../../services/live/socket-limits.ts";
import { aCitizen } from "../support/fixtures.ts";
import { attempt, closeClients, connect, LiveClient, queuePath } from "../support/live-client.ts";
import { aTicket } from "../support/queues.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { eventually } from "../support/eventually.ts";
import { aBranchQueue } from "./live-fixtures.ts";

describe("live channel abuse", () => {
  let ownNode: TestSystem | undefined;
  afterEach(async () => {
    closeClients();
    await stopExtraSystem(ownNode);
  });

  it("closes a socket that floods messages, and keeps serving the others", async () => {
    const { queue, display } = await aBranchQueue();
    const [flooder, bystander] = [await connect(queuePath(queue.id), { token: display.token }), await connect(queuePath(queue.id), { token: display.token })];
    await Promise.all([flooder.next("snapshot"), bystander.next("snapshot")]);
    for (let i = 0; i < 200; i++) flooder.send({ type: "ping" });
    // 1008 after a rate_limited error; while the flood still arrives, closing the connection
    // resets it (unread data), and the client sees 1006 and may miss the error.
    assert.ok([1008, 1006].includes(await flooder.closed()));
    await aTicket(await aCitizen(), queue.id);
    await bystander.next("delta");
    assert.equal(bystander.closeCode, null);
  });

  it("refuses an address its sockets past the cap (429), and lets it in again once one closes", async () => {
    const { wsPort } = (ownNode = await startExtraSystem({ WS_MAX_SOCKETS_PER_ADDRESS: "3" })).config;
    const { queue, display } = await aBranchQueue();
    const open: LiveClient[] = [];
    for (let i = 0; i < 3; i++) open.push(await connect(queuePath(queue.id), { token: display.token, port: wsPort }));
    const refused = await attempt(queuePath(queue.id), { token: display.token, port: wsPort });
    assert.ok(!(refused instanceof LiveClient));
    assert.deepEqual([refused.status, refused.body.error.code], [429, "too_many_sockets"]);
    // Refused admissions, bad tokens included, do not use up the address's places.
    assert.ok(!((await attempt(queuePath(queue.id), { token: "bad", port: wsPort })) instanceof LiveClient));
    open[0]!.close();
    // The server frees the place when it sees the close, a moment after the client sent it.
    const again = await eventually(() => attempt(queuePath(queue.id), { token: display.token, port: wsPort }), (outcome) => outcome instanceof LiveClient);
    await (again as LiveClient).next("snapshot");
  });
});

describe("socket limits", () => {
  it("counts an address's sockets up to the cap and gives places back", () => {
    const limits = new SocketsPerAddress(2);
    assert.deepEqual([limits.take("a"), limits.take("a"), limits.take("a"), limits.take("b")], [true, true, false, true]);
    limits.release("a");
    assert.equal(limits.take("a"), true);
  });

  it("lets a burst through, then the average rate", () => {
    let now = 0;
    const budget = new MessageBudget(3, 2, () => now);
    assert.deepEqual([budget.spend(), budget.spend(), budget.spend(), budget.spend()], [true, true, true, false]);
    now = 500; // half a second: one more
    assert.deepEqual([budget.spend(), budget.spend()], [true, false]);
  });
});
