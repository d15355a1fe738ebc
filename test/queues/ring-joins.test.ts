// Which joining nodes make a queues node drop its idle actors (services/queues/ring-joins.ts):
// brokers over the real NATS server, in a namespace of their own. The queues nodes here host
// a bare `queues.actorCommand`: what is tested is the ring read from Moleculer's registry.
import assert from "node:assert/strict";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { hostsOf, RingJoins } from "../../services/queues/ring-joins.ts";
import { aNamespace, NATS_URL } from "../support/cluster.ts";
import { eventually } from "../support/eventually.ts";

const queuesHost: ServiceSchema = { name: "queues", actions: { actorCommand: () => null } };
const liveOnly: ServiceSchema = { name: "live", actions: { handOver: () => null } };

describe("joins of the queue shard ring", function () {
  this.timeout(30_000);
  const namespace = aNamespace();
  const brokers: ServiceBroker[] = [];
  const aNode = async (nodeID: string, schema: ServiceSchema) => {
    const broker = new ServiceBroker({ nodeID, namespace, transporter: NATS_URL, logger: false });
    broker.createService(schema);
    await broker.start();
    brokers.push(broker);
    return broker;
  };
  after(() => Promise.all(brokers.map((broker) => broker.stop())));

  it("counts a node that hosts the sharded action, not one that runs other services, and a queues node back after it left", async () => {
    const local = await aNode("queues-1", queuesHost);
    const hosts = hostsOf(local, "queues.actorCommand");
    const ring = new RingJoins(hosts);
    assert.equal(ring.joined(), true, "the node itself, first seen");
    assert.equal(ring.joined(), false, "nothing changed");

    const live = await aNode("live-1", liveOnly);
    await eventually(async () => local.registry.getServiceList({ skipInternal: true, onlyAvailable: true }), (services) => services.some((s) => s.name === "live"));
    assert.equal(ring.joined(), false, "a node of live channels only moves no queue");

    const other = await aNode("queues-2", queuesHost);
    await eventually(async () => hosts(), (ids) => ids.includes("queues-2"));
    assert.equal(ring.joined(), true, "a second queues node takes some queues");
    assert.equal(ring.joined(), false);

    await other.stop();
    brokers.splice(brokers.indexOf(other), 1);
    await eventually(async () => hosts(), (ids) => !ids.includes("queues-2"));
    assert.equal(ring.joined(), false, "a node leaving is not a join");

    await aNode("queues-2", queuesHost);
    await eventually(async () => hosts(), (ids) => ids.includes("queues-2"));
    assert.equal(ring.joined(), true, "back after it left: its queues move back to it");
    await live.stop();
    brokers.splice(brokers.indexOf(live), 1);
  });
});
