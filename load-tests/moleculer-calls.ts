// What a call between services costs: in-process (one node runs everything) against over
// NATS to a node on the server core. Sequential calls give the latency of one call;
// 64 calls in flight give the rate. The payload is a small params object, as for a command.
import { fileURLToPath } from "node:url";
import type { ServiceBroker } from "moleculer";
import { closedLoops } from "./lib/closed-loop.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { spawnOnServerCore, stopChild } from "./lib/rig.ts";
import { benchNode } from "./lib/cluster.ts";
import { echoService, localBroker } from "./moleculer/echo-service.ts";

const ECHO_NODE = fileURLToPath(new URL("./moleculer/echo-node.ts", import.meta.url));
const PARAMS = { queue_id: "66f0c0ffee0000000000abcd", command: { type: "call_next", counter_id: "c1" } };

async function measure(broker: ServiceBroker, seconds: number) {
  const sequential = new Latencies();
  const oneByOne = await closedLoops(seconds / 2, [() => timed(sequential, () => broker.call("echo.reply", PARAMS)).then(() => {})]);
  let calls = 0;
  const inFlight = await closedLoops(seconds / 2, Array.from({ length: 64 }, () => () => broker.call("echo.reply", PARAMS).then(() => void calls++)));
  return {
    // The mean, since an in-process call is below the percentiles' 10 µs resolution.
    sequential_us_mean: Math.round((oneByOne / sequential.count) * 1e6 * 10) / 10,
    sequential_p99_ms: sequential.summary().p99_ms,
    calls_per_s_64_in_flight: Math.round(calls / inFlight),
  };
}

export async function moleculerCallsOnce(seconds: number) {
  const local = localBroker();
  local.createService(echoService);
  await local.start();
  const localFigures = await measure(local, seconds);
  await local.stop();

  const namespace = `bench-calls-${process.pid}-${Date.now()}`;
  const remoteNode = spawnOnServerCore(process.execPath, ["--import", "tsx", ECHO_NODE, namespace], { stdio: ["ignore", 2, 2] });
  const caller = benchNode(namespace, `caller-${process.pid}`);
  try {
    await caller.start();
    await caller.waitForServices("echo", 30_000);
    return { local: localFigures, nats: await measure(caller, seconds) };
  } finally {
    await caller.stop();
    await stopChild(remoteNode);
  }
}
