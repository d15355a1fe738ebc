// A transfer is two commands on two queues. Here the node running one "dies" right after
// the first (a test broker sends transfer_out to the source queue itself and nothing
// more): the source queue's owner must finish the transfer, or bring the ticket back
// when the target refuses it, so that a ticket is never left in neither queue.
import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { brokerOptions } from "../../moleculer.config.ts";
import { aNamespace, NATS_URL, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";
import { aCitizen } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aQueue, aRunningQueue, aTicket, type QueueSetup } from "../support/queues.ts";
import { eventually } from "../support/eventually.ts";

describe("a transfer whose node died between its two steps", function () {
  this.timeout(60_000);
  let node: ClusterNode;
  let caller: ServiceBroker;

  before(async () => {
    const namespace = aNamespace();
    // No scheduler: its start would run the slot generation of every service in the database.
    node = await startClusterNode("stranded-1", namespace, { SERVICES: "api,accounts,business,queues", STRANDED_TRANSFER_SECONDS: "1" });
    caller = new ServiceBroker({ ...brokerOptions(loadConfig({ NATS_URL, NAMESPACE: namespace, NODE_ID: "stranded-caller", LOG_LEVEL: "warn", METRICS_PORT: "0" })), logger: false });
    await caller.start();
    await caller.waitForServices(["queues"]);
  });
  after(async () => {
    await caller?.stop();
    if (node) await stopClusterNode(node);
  });

  /** Step one only, as the dead node sent it: the source records the ticket as on its way out. */
  async function onlyTransferOut(fromQueueId: string, ticketId: string, toQueueId: string) {
    await caller.call("queues.actorCommand", { queue_id: fromQueueId, command: { type: "transfer_out", ticket_id: ticketId, to_queue_id: toQueueId } });
  }

  const onNode = (setup: QueueSetup) => ({ token: setup.agent.access, baseUrl: node.baseUrl });

  it("is completed by the source queue's owner: the ticket arrives in the target, number kept", async () => {
    const setup = await aRunningQueue(1);
    const target = await aQueue(setup.admin, setup.org.id, { name: "Conseil", prefix: "B" });
    const mine = await aTicket(await aCitizen(), setup.queue.id);
    await onlyTransferOut(setup.queue.id, mine.id, target.id);
    const arrived = await eventually(() => get(`/api/queues/tickets/${mine.id}/`, onNode(setup)), (r) => r.body.queue_id === target.id);
    assert.deepEqual([arrived.body.status, arrived.body.number, arrived.body.transferred_from], ["waiting", "A-001", setup.queue.id]);
    const status = await get(`/api/queues/queues/${target.id}/status/`, onNode(setup));
    assert.equal(status.body.waiting_count, 1);
  });

  it("brings the ticket back, number and place kept, when the target refuses it", async () => {
    const setup = await aRunningQueue(1);
    const target = await aQueue(setup.admin, setup.org.id, { name: "Conseil", prefix: "B" });
    assert.equal((await post(`/api/queues/queues/${target.id}/close/`, {}, onNode(setup))).status, 200);
    const mine = await aTicket(await aCitizen(), setup.queue.id);
    await onlyTransferOut(setup.queue.id, mine.id, target.id);
    const back = await eventually(
      () => get(`/api/queues/tickets/${mine.id}/`, onNode(setup)),
      (r) => r.body.queue_id === setup.queue.id && r.body.status === "waiting",
    );
    assert.deepEqual([back.body.number, back.body.issued_at, back.body.position], ["A-001", mine.issued_at, 1]);
  });
});
