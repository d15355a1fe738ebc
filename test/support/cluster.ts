// SmartQueue nodes as separate processes (scripts/start.ts, as an operator runs them)
// over the real NATS server and the run's MongoDB-compatible server, in a namespace of
// their own so that concurrent runs on one NATS server never meet.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { hostStore, type HostStore } from "../../actors/host/store.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { mongoUrl, testEnv, waitUntilReady } from "./system.ts";

export const NATS_URL = "nats://127.0.0.1:4222";

export interface ClusterNode {
  id: string;
  baseUrl: string;
  wsPort: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function aNamespace(): string {
  return `sq-test-${randomUUID().slice(0, 8)}`;
}

export async function startClusterNode(id: string, namespace: string, extra: Record<string, string> = {}): Promise<ClusterNode> {
  const env = await testEnv({ NATS_URL, NAMESPACE: namespace, NODE_ID: id, ...extra });
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const node = { id, baseUrl: `http://127.0.0.1:${env.PORT}`, wsPort: Number(env.WS_PORT), child, output: () => output, exited };
  try {
    await waitUntilReady(node.baseUrl, 30_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${id} did not become ready: ${(err as Error).message}\n${output.slice(-2000)}`);
  }
  return node;
}

export async function stopClusterNode(node: ClusterNode): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill("SIGCONT"); // a node a test paused (SIGSTOP) hears SIGTERM only once woken
  node.child.kill("SIGTERM");
  const timer = setTimeout(() => node.child.kill("SIGKILL"), 10_000);
  await node.exited;
  clearTimeout(timer);
}

export interface SuiteCluster {
  /** In the order of the ids given. */
  nodes: ClusterNode[];
  /** The queues' journal in the nodes' database. */
  journal: HostStore;
}

/**
 * Nodes in a namespace of their own for the suite that calls this: started one after
 * another before its tests (then `settleMs` for every node to hear of every other), stopped
 * after them. `env` is what they run (SERVICES…).
 */
export function aClusterPerSuite(ids: string[], env: Record<string, string>, { settleMs = 0 } = {}): SuiteCluster {
  const cluster = { nodes: [] as ClusterNode[] } as SuiteCluster;
  let db: Connection | undefined;
  before(async () => {
    const namespace = aNamespace();
    for (const id of ids) cluster.nodes.push(await startClusterNode(id, namespace, env));
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    db = await connectMongo(mongoUrl());
    cluster.journal = hostStore(db);
  });
  after(async () => {
    await Promise.all(cluster.nodes.map(stopClusterNode));
    await db?.close();
  });
  return cluster;
}

/** The node that owns each queue, by the queue's journal: who committed it. */
export async function queueOwners(journal: HostStore, queueIds: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const commit of await journal.commits.find({ queue_id: { $in: queueIds } }).lean()) owners.set(commit.queue_id, commit.node_id);
  return owners;
}
