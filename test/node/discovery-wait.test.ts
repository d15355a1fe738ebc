// scripts/patch-moleculer.sh makes the wait after connecting, for the other nodes' INFO,
// the transit option `discoveryWaitMs`; moleculer.config.ts shortens it for a node of live
// channels only, whose screens wait on it after a restart.
import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { brokerOptions } from "../../moleculer.config.ts";
import { aNamespace, NATS_URL } from "../support/cluster.ts";

/** The waits (ms) a node's broker asked for while it started. */
async function waitsWhileStarting(services: string): Promise<number[]> {
  const config = loadConfig({ NATS_URL, NAMESPACE: aNamespace(), SERVICES: services, LOG_LEVEL: "warn", METRICS_PORT: "0" });
  const broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
  // Moleculer's `.delay(ms)` goes through its Promise's static delay.
  const promise = broker.Promise as unknown as { delay(ms: number): Promise<void> };
  const delay = promise.delay;
  const waits: number[] = [];
  promise.delay = (ms) => (waits.push(ms), delay(ms));
  try {
    await broker.start();
  } finally {
    promise.delay = delay;
    await broker.stop();
  }
  return waits;
}

describe("the wait for other nodes' INFO after connecting (scripts/patch-moleculer.sh)", () => {
  it("is 50 ms for a node of live channels only, and Moleculer's 500 ms for any other", async () => {
    assert.ok((await waitsWhileStarting("live")).includes(50), "live only");
    const other = await waitsWhileStarting("accounts");
    assert.ok(other.includes(500) && !other.includes(50), `accounts: ${other.join(", ")}`);
  });
});
