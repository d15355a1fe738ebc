// A record's cached lookups are cleaned on every node when it changes: two nodes run the
// business services, one caches a branch, the other changes it.
import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config.ts";
import { loadConfig } from "../../config/index.ts";
import { aNamespace, NATS_URL, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";
import { eventually } from "../support/eventually.ts";
import { aBranch, anAdministeredOrganization } from "../support/fixtures.ts";

describe("business records cached on several nodes", function () {
  // Two node processes start here, each compiling its TypeScript: on a busy machine that
  // alone can outlast the default 20 s. A bound on failure, not a wait.
  this.timeout(90_000);
  const nodes: ClusterNode[] = [];
  let caller: ServiceBroker | undefined;
  after(async () => {
    await caller?.stop();
    for (const node of nodes) await stopClusterNode(node);
  });

  it("drops a branch from every node's cache when one node changes it", async () => {
    const namespace = aNamespace();
    // No scheduler: its start would run the slot generation of every service in the database.
    for (const id of ["biz-a", "biz-b"]) nodes.push(await startClusterNode(`${id}-${namespace}`, namespace, { SERVICES: "api,accounts,business" }));
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    caller = new ServiceBroker({ ...brokerOptions(loadConfig({ NATS_URL, NAMESPACE: namespace, LOG_LEVEL: "warn", METRICS_PORT: "0" })), logger: false });
    await caller.start();
    await caller.waitForServices(["business.branches"], 60_000);
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id);
    const onB = () => caller!.call<{ name: string } | null, { id: string }>("business.branches.byId", { id: branch.id }, { nodeID: b.id });
    assert.equal((await onB())?.name, branch.name, "node B has it cached now");
    const renamed = await fetch(`${a.baseUrl}/api/business/branches/${branch.id}/`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.access}` },
      body: JSON.stringify({ name: "Agence renommée" }),
    });
    assert.equal(renamed.status, 200);
    // Well inside the cache's 60 s TTL: only the clean event can make B answer the new name.
    await eventually(onB, (found) => found?.name === "Agence renommée", 30_000);
  });
});
