// A SmartQueue node as an operator runs it (`npm start`: the bundle dist/start.mjs, its own process) on a
// MongoDB-compatible server (MONGO_URL, or a FerretDB started here in a temporary folder),
// for load scripts that measure it from outside over real connections.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/mongo-server.ts";
import { startFlags } from "../../scripts/start-flags.ts";
import { startDatabase } from "./database.ts";
import type { ApiRequest } from "./public-api.ts";
import { httpRequest, type HttpAnswer } from "./http-client.ts";
import { listening, sleep, spawnOnServerCore, stopChild } from "./rig.ts";
import { MongoClient } from "mongodb";

export const ADMIN = { phone: "+221700000009", password: "bench-admin-1" };

export interface SystemUnderTest {
  baseUrl: string;
  /** ws://host:WS_PORT of the live channels. */
  wsUrl: string;
  mongoUrl: string;
  server: ChildProcess;
  /** The database server's pid when one was started here (not with MONGO_URL). */
  databasePid: number | null;
  stop(): Promise<void>;
}

export interface NodeProcess {
  port: number;
  wsPort: number;
  /** From its process being spawned to its being ready. */
  readyMs: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

let bundle: Promise<void> | undefined;

/** `npm run build`, once per load run: nodes start from the bundle, as `npm start` starts them. */
function bundled(): Promise<void> {
  bundle ??= new Promise((resolve, reject) => {
    // Its output goes to stderr: stdout carries the load scripts' JSON.
    const build = spawn("npm", ["run", "--silent", "build"], { stdio: ["ignore", 2, 2] });
    build.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
  return bundle;
}

/**
 * One SmartQueue node on the given database. `onServerCore`: pinned to the bench's server
 * core. `tsx`: its TypeScript compiled at start, as the tests run it, instead of the
 * bundle `npm start` runs. `nodeFlags`: given to node before the entry (a benchmark's
 * probe). It is ready when its REST gateway says so, or — for a node without the `api`
 * service — when its live port accepts connections.
 */
export async function startNode(mongoUrl: string, env: Record<string, string> = {}, { onServerCore = false, wsPort = 0, tsx = false, nodeFlags = [] as string[] } = {}): Promise<NodeProcess> {
  const port = await freePort();
  const ws = wsPort || (await freePort());
  if (!tsx) await bundled();
  const entry = tsx ? ["--import", "tsx", "scripts/start.ts"] : [...startFlags(), "dist/start.mjs"];
  const args = [...(process.env.BENCH_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : []), ...nodeFlags, ...entry];
  const spawned = performance.now();
  const child = (onServerCore ? spawnOnServerCore : spawn)(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: String(port),
      WS_PORT: String(ws),
      METRICS_PORT: "0",
      MONGO_URL: mongoUrl,
      LOG_LEVEL: "warn",
      // Every load driver connects from this one address: the per-address limits meant
      // for the internet would refuse the bench itself.
      AUTH_RATE_LIMIT: "1000000",
      WS_MAX_SOCKETS_PER_ADDRESS: "1000000",
      ADMIN_PHONE: ADMIN.phone,
      ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    // Its log lines go to stderr: stdout carries the load scripts' JSON.
    stdio: ["ignore", 2, 2],
  });
  const restless = env.SERVICES !== undefined && !env.SERVICES.split(",").some((s) => s === "api" || s === "all");
  if (restless) await listening(ws, child);
  else {
    const deadline = Date.now() + 60_000;
    while ((await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the system under test did not become ready");
      await sleep(10); // often: `npm run load:startup` reports readyMs
    }
  }
  return { port, wsPort: ws, process: child, readyMs: Math.round(performance.now() - spawned), stop: () => stopChild(child, 15_000) };
}

/**
 * A database and one node on it. `onServerCore`: pin the node to the bench's server core.
 * `databaseOnServerCore`: the database too, so the server side of a write benchmark has
 * that one core. `nodeFlags`: as startNode's.
 */
export async function startSystemUnderTest(env: Record<string, string> = {}, { onServerCore = false, databaseOnServerCore = false, nodeFlags = [] as string[] } = {}): Promise<SystemUnderTest> {
  const mongo = await startDatabase({ onServerCore: databaseOnServerCore });
  const node = await startNode(mongo.url, env, { onServerCore, nodeFlags }).catch(async (err) => {
    await mongo.stop();
    throw err;
  });
  return {
    baseUrl: `http://127.0.0.1:${node.port}`,
    wsUrl: `ws://127.0.0.1:${node.wsPort}`,
    mongoUrl: mongo.url,
    server: node.process,
    databasePid: mongo.pid,
    async stop() {
      await node.stop();
      await mongo.stop();
    },
  };
}

/** A JSON body (if any) over HTTP, with a bearer token (if any): the answer whatever its status. */
function jsonRequest(baseUrl: string, method: string, pathname: string, body?: unknown, token?: string): Promise<HttpAnswer> {
  return httpRequest(`${baseUrl}${pathname}`, {
    method,
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The answer's text (a CSV, say), with a bearer token; throws on any status but the expected one. */
export async function apiText(baseUrl: string, method: string, pathname: string, body?: unknown, token?: string, expect = [200, 201]): Promise<string> {
  const { status, text } = await jsonRequest(baseUrl, method, pathname, body, token);
  if (!expect.includes(status)) throw new Error(`${method} ${pathname}: ${status} ${text}`);
  return text;
}

/** JSON over HTTP with a bearer token; throws on any status but the expected one. */
export async function api<T = any>(baseUrl: string, method: string, pathname: string, body?: unknown, token?: string, expect = [200, 201]): Promise<T> {
  const text = await apiText(baseUrl, method, pathname, body, token, expect);
  return (text ? JSON.parse(text) : null) as T;
}

/** A request of the catalogue the k6 scripts share (public-api.ts), sent with `api`. */
export function send<T = any>(baseUrl: string, request: ApiRequest, token?: string, expect?: number[]): Promise<T> {
  return api<T>(baseUrl, request.method, request.path, request.body, token, expect);
}

/** A request of the catalogue whatever its answer: its status and JSON body, for callers that branch on the status. */
export async function sendForStatus(baseUrl: string, request: ApiRequest, token: string): Promise<{ status: number; body: any }> {
  const { status, text } = await jsonRequest(baseUrl, request.method, request.path, request.body, token);
  return { status, body: JSON.parse(text) };
}

/** A node and its database on the server core, with a client of that database for writing what a test seeds; all stopped once `run` is done. */
export async function withSystemAndClient<T>(run: (sut: SystemUnderTest, client: MongoClient) => Promise<T>): Promise<T> {
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  try {
    const client = await new MongoClient(sut.mongoUrl).connect();
    try {
      return await run(sut, client);
    } finally {
      await client.close();
    }
  } finally {
    await sut.stop();
  }
}
