// The transport between nodes with credentials: a nats-server of the test's own that
// requires a user and password. Nodes given them join and serve each other; a client
// without them cannot even connect, so cannot call an internal action.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { connect as natsConnect } from "nats";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config.ts";
import { loadConfig } from "../../config/index.ts";
import { freePort } from "../../scripts/mongo-server.ts";
import { aNamespace, startClusterNode, stopClusterNode, type ClusterNode } from "../support/cluster.ts";

const CREDENTIALS = { NATS_USER: "smartqueue", NATS_PASSWORD: "a-long-cluster-secret" };

async function anAuthenticatedNats(): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "--user", CREDENTIALS.NATS_USER, "--pass", CREDENTIALS.NATS_PASSWORD], { stdio: "ignore" });
  const url = `nats://127.0.0.1:${port}`;
  for (;;) {
    const refused = await natsConnect({ servers: url, user: CREDENTIALS.NATS_USER, pass: CREDENTIALS.NATS_PASSWORD }).then((nc) => nc.close().then(() => null), (err: Error) => err);
    if (!refused) return { url, server };
    if (server.exitCode !== null) throw new Error(`nats-server exited: ${refused.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("NATS with credentials", () => {
  let nats: { url: string; server: ChildProcess };
  let node: ClusterNode | undefined;
  before(async () => {
    nats = await anAuthenticatedNats();
  });
  after(async () => {
    if (node) await stopClusterNode(node);
    nats?.server.kill();
  });

  it("lets a node with the credentials serve and be called over it, and refuses a client without them", async () => {
    const namespace = aNamespace();
    // No scheduler: its start would run the slot generation of every service in the database.
    node = await startClusterNode("nats-auth-1", namespace, { NATS_URL: nats.url, SERVICES: "api,accounts,business", ...CREDENTIALS });
    const caller = new ServiceBroker({ ...brokerOptions(loadConfig({ NATS_URL: nats.url, NAMESPACE: namespace, LOG_LEVEL: "warn", METRICS_PORT: "0", ...CREDENTIALS })), logger: false });
    await caller.start();
    try {
      await caller.waitForServices(["business.organizations"], 10_000);
      assert.equal(await caller.call("business.organizations.exists", { id: "0123456789abcdef01234567" }), false);
    } finally {
      await caller.stop();
    }
    for (const intruder of [{}, { user: CREDENTIALS.NATS_USER, pass: "guessed" }]) {
      await assert.rejects(natsConnect({ servers: nats.url, ...intruder, reconnect: false }), /AUTHORIZATION_VIOLATION|Authorization Violation/i);
    }
  });

  it("refuses to start in production on NATS without credentials", () => {
    const production = { NODE_ENV: "production", JWT_ACCESS_SECRET: "a".repeat(32), JWT_REFRESH_SECRET: "b".repeat(32), NATS_URL: "nats://nats:4222" };
    assert.throws(() => loadConfig(production), /NATS credentials .* are required in production/);
    assert.equal(loadConfig({ ...production, ...CREDENTIALS }).nats.user, "smartqueue");
    assert.throws(() => loadConfig({ NATS_USER: "only-user" }), /NATS_USER and NATS_PASSWORD go together/);
  });
});
