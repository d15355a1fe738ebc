// When a restarted live node may admit screens (services/live/known-by-peers.ts): once every
// other node lists it and the services an admission calls are listed here. Brokers over the
// real NATS server, in a namespace of their own.
import assert from "node:assert/strict";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { knownByPeers } from "../../services/live/known-by-peers.ts";
import { aNamespace, NATS_URL } from "../support/cluster.ts";

const accounts: ServiceSchema = { name: "accounts", actions: { authenticate: () => null } };
const queues: ServiceSchema = { name: "queues", actions: { snapshot: () => null } };
/** Never reached by the calls that must not wait for it: the other calls settle first. */
const LONG_MS = 30_000;

describe("a live node known by its peers", function () {
  this.timeout(60_000);
  const namespace = aNamespace();
  const brokers: ServiceBroker[] = [];
  const aNode = async (nodeID: string, schemas: ServiceSchema[], transporter: string | null = NATS_URL) => {
    const broker = new ServiceBroker({ nodeID, namespace, transporter: transporter ?? undefined, logger: false });
    for (const schema of schemas) broker.createService(schema);
    await broker.start();
    brokers.push(broker);
    return broker;
  };
  after(() => Promise.all(brokers.map((broker) => broker.stop())));

  it("is known at once without a transporter: no other node can list it", async () => {
    const alone = await aNode("alone", [], null);
    assert.equal(await knownByPeers(alone, ["accounts", "queues"], LONG_MS), true);
  });

  it("waits until the services it calls are listed, not only until its peers list it", async () => {
    const live = await aNode("live-1", []);
    await aNode("queues-1", [queues]);
    // Once the queues node lists it and queues is listed here, only accounts is missing:
    // one look (no time left to wait) says not known.
    assert.equal(await knownByPeers(live, ["queues"], LONG_MS), true);
    assert.equal(await knownByPeers(live, ["accounts", "queues"], 0), false);
    const waiting = knownByPeers(live, ["accounts", "queues"], LONG_MS);
    const joined = await aNode("accounts-1", [accounts]);
    assert.equal(await waiting, true);
    const here = live.registry.getServiceList({ onlyAvailable: true }).map((service) => service.name);
    assert.ok(here.includes("accounts") && here.includes("queues"), here.join(", "));
    const listed = await joined.call<Array<{ id: string }>, object>("$node.list", { onlyAvailable: true });
    assert.ok(listed.some((node) => node.id === "live-1"), "the node that joined lists the live node");
  });
});
