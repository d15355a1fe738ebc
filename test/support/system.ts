// Real servers for the tests: a MongoDB-compatible server started once per run in a
// temporary folder, and SmartQueue nodes started in-process on free ports.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../config/index.ts";
import { freePort, provideMongo, type MongoServer } from "../../scripts/mongo-server.ts";
import { startNode, type SmartQueueNode } from "../../services/node.ts";

export const ADMIN = { phone: "+221700000001", password: "admin-pass-1" };

export interface TestSystem {
  config: Config;
  node: SmartQueueNode;
  baseUrl: string;
}

let mongo: MongoServer | undefined;
let dataDir: string | undefined;
let main: TestSystem | undefined;
const extra: TestSystem[] = [];

export function mongoUrl(): string {
  if (!mongo) throw new Error("the test MongoDB server is not started");
  return mongo.url;
}

/** A database of its own on the run's server. */
export const databaseUrl = (database: string) => Object.assign(new URL(mongoUrl()), { pathname: `/${database}` }).href;

/** Environment for a test node: quiet, on free ports, against the run's database. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NODE_ENV: "test",
    PORT: String(await freePort()),
    WS_PORT: String(await freePort()),
    METRICS_PORT: "0",
    MONGO_URL: mongoUrl(),
    LOG_LEVEL: "warn",
    AUTH_RATE_LIMIT: "100000",
    // Every test signs in from 127.0.0.1; test/security/sign-in-throttle.test.ts runs its
    // own nodes with low limits.
    LOGIN_FAILURES_PER_ADDRESS: "1000",
    // Tests close queues themselves, at a `now` they choose: the real check would close
    // every queue of the run once past 17:00 in Dakar.
    END_OF_DAY_CHECK_EVERY_MINUTES: "1440",
    // Every appointment service the run creates gets its window of slots at once: two
    // days keep the run's slot collection, which the embedded server scans, small.
    SLOT_WINDOW_DAYS: "2",
    // Statistics read soon after the events they count (the default batches 2 s of them).
    ANALYTICS_FLUSH_MS: "250",
    // The live monitors' idle-counter alert, seen by a test as soon as it waits for it.
    MONITOR_IDLE_ALERT_MS: "300",
    ADMIN_PHONE: ADMIN.phone,
    ADMIN_PASSWORD: ADMIN.password,
    ...overrides,
  };
}

async function startSystem(overrides: Record<string, string>, database?: string): Promise<TestSystem> {
  const url = database ? databaseUrl(database) : mongoUrl();
  const config = loadConfig(await testEnv({ ...overrides, MONGO_URL: url }));
  const node = await startNode(config, url);
  const baseUrl = `http://127.0.0.1:${config.port}`;
  await waitUntilReady(baseUrl);
  return { config, node, baseUrl };
}

/** Polls /health/ready as a load balancer would. */
export async function waitUntilReady(baseUrl: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${baseUrl}/health/ready`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl} not ready after ${timeoutMs} ms (last status ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestSystem(): Promise<void> {
  const configured = process.env.MONGO_URL;
  dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-test-"));
  mongo = await provideMongo({ mongoUrl: configured, dataDir });
  main = await startSystem({});
}

/** The node shared by the whole run. */
export function system(): TestSystem {
  if (!main) throw new Error("the test system is not started");
  return main;
}

/**
 * Another node (e.g. with other settings) on the run's database. Its caller stops it with
 * stopExtraSystem once its tests are done: a full node polls the scheduler, sweeps and
 * flushes on that database all the time, and a dozen of them left running until the end
 * kept the embedded server busy enough to stall the tests after them. One a failed test
 * left running is stopped at the end of the run. `database`: a database of its own on the
 * run's server, started empty (but for the platform admin every node seeds).
 */
export async function startExtraSystem(overrides: Record<string, string>, { database }: { database?: string } = {}): Promise<TestSystem> {
  const s = await startSystem(overrides, database);
  extra.push(s);
  return s;
}

export async function stopExtraSystem(s: TestSystem | undefined): Promise<void> {
  if (!s || !extra.includes(s)) return;
  extra.splice(extra.indexOf(s), 1);
  await s.node.stop();
}

export async function stopTestSystems(): Promise<void> {
  for (const s of [...extra, main]) await s?.node.stop();
  await mongo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
