// Finds a MongoDB-compatible server: MONGO_URL if configured, else `mongod` from PATH,
// else FerretDB (SQLite backend; PostgreSQL when a load test asks) built once through the
// Go toolchain. The last two are started on a free local port and stopped with stop().
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface MongoServer {
  url: string;
  source: "configured" | "mongod" | "ferretdb";
  /** The server process started here (null: configured, running elsewhere). */
  pid: number | null;
  /** FerretDB's debug server (Go's /debug/pprof), when FerretDB was started here. */
  debugUrl: string | null;
  stop(): Promise<void>;
}

export interface MongoServerOptions {
  mongoUrl?: string;
  /** Where a started server keeps its files. */
  dataDir: string;
  /** FerretDB on this PostgreSQL database (postgres://…) instead of SQLite files in dataDir. */
  postgresqlUrl?: string;
  /**
   * Cores a started FerretDB will be held to (taskset after its start, as the load tests
   * do): its Go runtime is told so (GOMAXPROCS), as it would find itself if started there,
   * instead of scheduling for every core of the machine on one.
   */
  cores?: number;
  log?: (line: string) => void;
}

/** The project's root: the nearest folder above this module with a package.json (this
 * module runs from scripts/ under tsx, and bundled into dist/ under `npm start`). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const BUILD_SCRIPT = path.join(projectRoot(), "scripts", "build-ferretdb.sh");

export class NoMongoError extends Error {
  constructor(reason: string) {
    super(
      `No MongoDB-compatible server: ${reason}. Set MONGO_URL=mongodb://host:27017/smartqueue, ` +
        "or put mongod on PATH, or install Go (go on PATH or /usr/local/go) so FerretDB can be built.",
    );
  }
}

/**
 * FerretDB's Go garbage collector runs when its heap has grown by GOGC %. Every request
 * allocates (documents decoded and encoded), so at Go's default of 100 it collects often:
 * at 400, FerretDB spent 0.84× the CPU per command in the call-next loop (0.90 -> 0.76 ms)
 * for 45 -> 58 MB of RSS (docs/bench-runs/2026-12-02-sms-follow-ups.md). An operator's
 * own GOGC wins.
 */
const FERRETDB_GOGC = "400";

/**
 * SQLite journals each statement's changes to roll that statement back alone, and past
 * 64 KiB (a journal document, a batch of rows) it moved that journal into a temporary
 * file: a file created, written, truncated and unlinked, and 64 KiB buffers mapped and
 * unmapped by the Go SQLite's allocator, about 12% of FerretDB's CPU under call-next.
 * In memory it is neither: FerretDB's CPU per command 0.51 -> 0.41 ms, call-next p50
 * 21.6 -> 18.4 ms, medians of 3 alternated pairs
 * (docs/bench-runs/2026-12-03-temp-store.md). Nothing durable lives there.
 */
const SQLITE_PRAGMAS = "_pragma=temp_store(memory)";

export async function provideMongo(options: MongoServerOptions): Promise<MongoServer> {
  if (options.mongoUrl) return { url: options.mongoUrl, source: "configured", pid: null, debugUrl: null, stop: async () => {} };
  const port = await freePort();
  if (onPath("mongod") && !options.postgresqlUrl) {
    const dbPath = path.join(options.dataDir, "mongod");
    mkdirSync(dbPath, { recursive: true });
    const child = spawn("mongod", ["--dbpath", dbPath, "--bind_ip", "127.0.0.1", "--port", String(port), "--quiet"], {
      stdio: "ignore",
    });
    return started(child, port, "mongod", null);
  }
  const binary = ferretdbBinary(options.log);
  const dir = path.join(options.dataDir, "ferretdb");
  mkdirSync(dir, { recursive: true });
  const debugPort = await freePort();
  const child = spawn(
    binary,
    [
      ...(options.postgresqlUrl ? ["--handler=postgresql", `--postgresql-url=${options.postgresqlUrl}`] : ["--handler=sqlite", `--sqlite-url=file:${dir}/?${SQLITE_PRAGMAS}`]),
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      "--telemetry=disable",
      "--log-level=ERROR",
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, GOGC: process.env.GOGC ?? FERRETDB_GOGC, ...(options.cores && { GOMAXPROCS: String(options.cores) }) },
    },
  );
  child.stderr?.on("data", (chunk: Buffer) => options.log?.(`ferretdb: ${chunk.toString().trim()}`));
  return started(child, port, "ferretdb", `http://127.0.0.1:${debugPort}`);
}

function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function ferretdbBinary(log?: (line: string) => void): string {
  log?.("looking for FerretDB (building it on first use takes about 2 minutes)");
  const build = spawnSync("bash", [BUILD_SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (build.status !== 0) throw new NoMongoError(`building FerretDB failed: ${build.stderr.trim().split("\n").pop()}`);
  return build.stdout.trim().split("\n").pop()!;
}

async function started(child: ChildProcess, port: number, source: "mongod" | "ferretdb", debugUrl: string | null): Promise<MongoServer> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const ready = await Promise.race([waitForPort(port, 30_000), exited.then(() => false)]);
  if (!ready) {
    child.kill("SIGKILL");
    throw new NoMongoError(`${source} did not start listening on 127.0.0.1:${port}`);
  }
  return {
    url: `mongodb://127.0.0.1:${port}/smartqueue`,
    source,
    pid: child.pid ?? null,
    debugUrl,
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A local port nobody listens on, for a server started here. Chosen below the kernel's
 * ephemeral range: a port from that range (what listen(0) gives) can be taken by an
 * outgoing connection before its server listens on it, as happened once 10,000 screens'
 * sockets were open (EADDRINUSE in `npm run bench`).
 */
export async function freePort(): Promise<number> {
  const lowestEphemeral = ephemeralPortsFrom();
  for (let attempt = 0; lowestEphemeral > FIRST_CHOSEN_PORT && attempt < 50; attempt++) {
    const port = FIRST_CHOSEN_PORT + Math.floor(Math.random() * (lowestEphemeral - FIRST_CHOSEN_PORT));
    if (await listensOn(port)) return port;
  }
  return listenedPort(0);
}

const FIRST_CHOSEN_PORT = 10_000;

/** The lowest port of the kernel's ephemeral range (Linux), or where Linux starts it by default. */
function ephemeralPortsFrom(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const listensOn = (port: number) => listenedPort(port).then(() => true, () => false);

/** Listens on `port` (0: any) of 127.0.0.1, closes, and gives the port. */
function listenedPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
