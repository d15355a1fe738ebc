// The servers the displays benchmark compares, each started on the server core the way
// it is meant to run, with the same queues (topics), the same display authentication
// (a signed token checked at connect) and the same backpressure limit where the server
// has one. Each is fed the same deltas: SmartQueue as a `queue.changed` event from another
// Moleculer node over NATS (how a queue's owner node tells the live gateways), the others
// through their HTTP publish endpoint.
import { randomBytes } from "node:crypto";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import jwt from "jsonwebtoken";
import { freePort } from "../../scripts/mongo-server.ts";
import { centrifugoConfig } from "../peers/centrifugo-config.ts";
import { benchNode, NATS_URL } from "../lib/cluster.ts";
import { listening, spawnOnServerCore, stopChild } from "../lib/rig.ts";
import { anOffice, aScreenToken, someQueues } from "../lib/fixtures.ts";
import { startSystemUnderTest } from "../lib/system-under-test.ts";
import { memoryProbe, type MemoryProbe } from "../lib/probed-memory.ts";
import type { ClientSpec } from "./client-protocols.ts";
import { DeltaSource, type DeltaMessage } from "./deltas.ts";
import { HttpPublisher } from "./http-publisher.ts";
import type { QueueChanged } from "../../services/events.ts";

export type ServerName = "smartqueue" | "uws" | "ws" | "socketio" | "centrifugo";
export const SERVER_NAMES: ServerName[] = ["smartqueue", "uws", "ws", "socketio", "centrifugo"];

export const LABELS: Record<ServerName, string> = {
  smartqueue: "SmartQueue live",
  uws: "bare uWebSockets.js",
  ws: "plain ws",
  socketio: "Socket.IO",
  centrifugo: "Centrifugo",
};

export interface DisplayServer {
  name: ServerName;
  pid: number;
  client: ClientSpec;
  topics: string[];
  backpressure: string;
  /** Publishes the next delta (round-robin over the topics). */
  publishNext(): void;
  /** Publishes that failed (HTTP ingress only). */
  publishFailures(): number;
  /** With `memoryProbe`, a Node server's memory after a forced garbage collection; null for Centrifugo (Go). */
  probe: MemoryProbe | null;
  stop(): Promise<void>;
}

export interface ServerOptions {
  queues: number;
  maxBackpressureBytes: number;
  /** Starts a Node server with --expose-gc and the memory probe (load-tests/lib/memory-probe.mjs). */
  memoryProbe?: boolean;
}

const PEERS = path.dirname(fileURLToPath(new URL("../peers/uws-server.ts", import.meta.url)));
const SECRET = randomBytes(24).toString("hex");
const peerToken = () => jwt.sign({ sub: "bench-display" }, SECRET, { algorithm: "HS256", expiresIn: "2h" });
/** Topic names shaped like queue ids, so every server carries messages of the same size. */
const queueLikeIds = (n: number) => Array.from({ length: n }, () => randomBytes(12).toString("hex"));

export function startServer(name: ServerName, options: ServerOptions): Promise<DisplayServer> {
  if (name === "smartqueue") return startSmartQueue(options);
  if (name === "centrifugo") return startCentrifugo(options);
  return startNodePeer(name, options);
}

async function startNodePeer(name: "uws" | "ws" | "socketio", options: ServerOptions): Promise<DisplayServer> {
  const port = await freePort();
  const file = path.join(PEERS, `${name}-server.ts`);
  const probe = options.memoryProbe ? await memoryProbe() : null;
  const child = spawnOnServerCore(process.execPath, [...(probe?.nodeFlags ?? []), "--import", "tsx", file, String(port), SECRET, String(options.maxBackpressureBytes)], {
    stdio: ["ignore", 2, 2],
    env: { ...process.env, ...probe?.env },
  });
  await listening(port, child);
  const topics = queueLikeIds(options.queues);
  const deltas = new DeltaSource(topics);
  const publisher = new HttpPublisher(port);
  return {
    name,
    pid: child.pid!,
    client: { protocol: name === "socketio" ? "socketio" : "topic-path", base: `ws://127.0.0.1:${port}`, token: peerToken() },
    topics,
    backpressure: name === "socketio" ? "none: Socket.IO buffers without limit" : `${options.maxBackpressureBytes} B, then the socket is closed`,
    publishNext() {
      const { delta } = deltas.next();
      publisher.post(`/publish/${delta.queue_id}`, JSON.stringify(delta));
    },
    publishFailures: () => publisher.failures,
    probe,
    async stop() {
      publisher.close();
      await stopChild(child);
    },
  };
}

async function startCentrifugo(options: ServerOptions): Promise<DisplayServer> {
  const binary = execFileSync("bash", [fileURLToPath(new URL("../../scripts/build-centrifugo.sh", import.meta.url))], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const port = await freePort();
  const apiKey = randomBytes(16).toString("hex");
  const dir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-centrifugo-"));
  const configFile = path.join(dir, "config.json");
  writeFileSync(configFile, JSON.stringify(centrifugoConfig({ port, secret: SECRET, apiKey, maxBackpressureBytes: options.maxBackpressureBytes })));
  const child = spawnOnServerCore(binary, ["--config", configFile], { stdio: ["ignore", 2, 2], cwd: dir });
  await listening(port, child);
  const topics = queueLikeIds(options.queues);
  const deltas = new DeltaSource(topics);
  const publisher = new HttpPublisher(port, { "x-api-key": apiKey });
  return {
    name: "centrifugo",
    pid: child.pid!,
    client: { protocol: "centrifugo", base: `ws://127.0.0.1:${port}`, token: peerToken() },
    topics,
    backpressure: `${options.maxBackpressureBytes} B (client.queue_max_size), then the connection is closed`,
    publishNext() {
      const { delta } = deltas.next();
      publisher.post("/api/publish", JSON.stringify({ channel: delta.queue_id, data: delta }));
    },
    publishFailures: () => publisher.failures,
    probe: null,
    async stop() {
      publisher.close();
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startSmartQueue(options: ServerOptions): Promise<DisplayServer> {
  const namespace = `bench-${process.pid}-${Date.now()}`;
  const probe = options.memoryProbe ? await memoryProbe() : null;
  const sut = await startSystemUnderTest(
    { NATS_URL, NAMESPACE: namespace, WS_MAX_BACKPRESSURE: String(options.maxBackpressureBytes), ...probe?.env },
    { onServerCore: true, nodeFlags: probe?.nodeFlags },
  );
  // Another node of the cluster, as a queue's owner is: it broadcasts `queue.changed`.
  const publisher = benchNode(namespace, `bench-publisher-${process.pid}`);
  try {
    const { baseUrl } = sut;
    const office = await anOffice(baseUrl, "Banque des écrans");
    const queueIds = (await someQueues(baseUrl, office, options.queues)).map((q) => q.id);
    const display = await aScreenToken(baseUrl, office);
    await publisher.start();
    await publisher.waitForServices(["live", "queues"], 30_000);
    const versions: number[] = [];
    for (const queueId of queueIds) versions.push((await publisher.call<{ snapshot: { version: number } }, object>("queues.snapshot", { queue_id: queueId })).snapshot.version);
    const deltas = new DeltaSource(queueIds, versions);
    return {
      name: "smartqueue",
      pid: sut.server.pid!,
      client: { protocol: "smartqueue", base: sut.wsUrl, token: display },
      topics: queueIds,
      backpressure: `${options.maxBackpressureBytes} B (WS_MAX_BACKPRESSURE), then the socket is closed`,
      publishNext() {
        const { delta } = deltas.next();
        void publisher.broadcast("queue.changed", queueChanged(delta, office.organizationId, office.branchId));
      },
      publishFailures: () => 0,
      probe,
      async stop() {
        await publisher.stop();
        await sut.stop();
      },
    };
  } catch (err) {
    await publisher.stop();
    await sut.stop();
    throw err;
  }
}

/** What a queue's owner node broadcasts after a group commit (its contract: services/events.ts). */
const queueChanged = ({ type: _type, ...delta }: DeltaMessage, organizationId: string, branchId: string): QueueChanged => ({
  ...delta,
  organization_id: organizationId,
  branch_id: branchId,
  next: [],
});
