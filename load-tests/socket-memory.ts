// Memory per idle socket: what one more idle, authenticated screen costs a server to hold.
// Each server starts fresh on the server core, a few screens connect and leave (one-time
// costs such as compiled code and caches are paid before the first reading), then screens
// connect in steps (0, 2,500, … 10,000) from receiver processes on the load core, and
// after each step the server's heap used and RSS are read after a forced full garbage
// collection (the Node servers run with --expose-gc and load-tests/lib/memory-probe.mjs).
// The figure is the least-squares slope of each over the socket count, per run, with its
// median and spread over the runs. Centrifugo is Go: its RSS only, read from /proc once it
// stops moving, without a forced collection.
//
//   npm run load:socket-memory -- [--runs N] [--servers smartqueue,uws,...] [--counts 0,2500,...] [--snapshots DIR]
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ReceiverPool } from "./displays/receiver-pool.ts";
import { LABELS, SERVER_NAMES, startServer, type DisplayServer, type ServerName } from "./displays/servers.ts";
import { slope, slopeError } from "./lib/least-squares.ts";
import { pinSelfToLoadCore, round, rssBytes, sleep } from "./lib/rig.ts";
import { figure, repeat, type Figure } from "./lib/runs.ts";

export interface SocketMemoryOptions {
  runs: number;
  servers: ServerName[];
  queues: number;
  /** Idle screens connected at each reading, ascending. */
  counts: number[];
  /** Screens that connect and leave before the first reading. */
  warmUp: number;
  receivers: number;
  maxBackpressureBytes: number;
  /**
   * Where to write a heap snapshot of each Node server at each count, for load-tests/heap-diff.ts
   * (what a socket holds). Writing one grows the server's RSS: its RSS slope means nothing then.
   */
  snapshots?: string;
}

export const SOCKET_MEMORY: SocketMemoryOptions = {
  runs: 3,
  servers: SERVER_NAMES,
  queues: 100,
  counts: [0, 2500, 5000, 7500, 10_000],
  warmUp: 500,
  receivers: 2,
  maxBackpressureBytes: 65_536,
};

/** After the last screen of a step is ready, time for the server to finish what its admission started. */
const STEP_SETTLE_MS = 1000;
const CONNECT_ATTEMPTS = 3;

export interface MemoryPoint {
  sockets: number;
  rss_mb: number;
  /** Null for Centrifugo (no V8 heap). */
  heap_used_mb: number | null;
  /** Memory of C++ objects bound to JavaScript ones (uWS's and Node's buffers), null for Centrifugo. */
  external_mb: number | null;
}

export interface SocketMemoryRun {
  points: MemoryPoint[];
  rss_bytes_per_socket: number;
  /** Standard error of that slope within the run: small when the readings lie on a line. */
  rss_slope_error: number;
  heap_bytes_per_socket: number | null;
  heap_slope_error: number | null;
  external_bytes_per_socket: number | null;
  /** Connections refused or failed, tried again. */
  connect_failed: number;
  load_average: { start: number[]; end: number[] };
}

export interface SocketMemoryFigures {
  server: ServerName;
  label: string;
  rss_bytes_per_socket: Figure;
  heap_bytes_per_socket: Figure;
  external_bytes_per_socket: Figure;
  /** How RSS was read. */
  method: string;
  runs: SocketMemoryRun[];
}

const MB = 2 ** 20;
const loadAverage = () => os.loadavg().map((v) => round(v, 2));

async function runOnce(name: ServerName, options: SocketMemoryOptions, run: number): Promise<SocketMemoryRun> {
  const start = loadAverage();
  const server = await startServer(name, { queues: options.queues, maxBackpressureBytes: options.maxBackpressureBytes, memoryProbe: true });
  const pool = new ReceiverPool(options.receivers);
  try {
    const warmUp = new ReceiverPool(options.receivers);
    await warmUp.connect(server.client, server.topics, options.warmUp);
    await warmUp.close();
    const points: Array<MemoryPoint & { rss: number; heap: number | null; external: number | null }> = [];
    let sockets = 0;
    let failed = 0;
    let firstError: string | null = null;
    for (const count of options.counts) {
      // A screen refused (on a loaded machine SmartQueue answers 503 when an admission
      // times out) tries again, as a display does, so every reading has its count.
      for (let attempt = 0; attempt < CONNECT_ATTEMPTS && count > sockets; attempt++) {
        const added = await pool.connect(server.client, server.topics, count - sockets, { offset: sockets });
        sockets += added.ready;
        failed += added.failed;
        firstError ??= added.firstError;
      }
      if (sockets < count) throw new Error(`${name}: only ${sockets} of ${count} screens connected (${firstError})`);
      await sleep(STEP_SETTLE_MS);
      const reading = await read(server);
      points.push({ ...reading, sockets, rss_mb: round(reading.rss / MB, 1), heap_used_mb: mb(reading.heap), external_mb: mb(reading.external) });
      if (options.snapshots && server.probe) {
        mkdirSync(options.snapshots, { recursive: true });
        await server.probe.heapSnapshot(path.resolve(options.snapshots, `${name}-run${run + 1}-${sockets}.heapsnapshot`));
      }
    }
    const fit = (pick: (p: (typeof points)[number]) => number | null) => {
      if (points.some((p) => pick(p) === null)) return { perSocket: null, error: null };
      const xy = points.map((p): [number, number] => [p.sockets, pick(p)!]);
      // `|| 0`: no "-0 B" in the report.
      return { perSocket: Math.round(slope(xy)) || 0, error: Math.round(slopeError(xy)) };
    };
    const rss = fit((p) => p.rss);
    const heap = fit((p) => p.heap);
    return {
      points: points.map(({ sockets: n, rss_mb, heap_used_mb, external_mb }) => ({ sockets: n, rss_mb, heap_used_mb, external_mb })),
      rss_bytes_per_socket: rss.perSocket!,
      rss_slope_error: rss.error!,
      heap_bytes_per_socket: heap.perSocket,
      heap_slope_error: heap.error,
      external_bytes_per_socket: fit((p) => p.external).perSocket,
      connect_failed: failed,
      load_average: { start, end: loadAverage() },
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

const mb = (bytes: number | null) => (bytes === null ? null : round(bytes / MB, 1));

/** A Node server through its probe (after a full collection); Centrifugo from /proc. */
async function read(server: DisplayServer): Promise<{ rss: number; heap: number | null; external: number | null }> {
  if (!server.probe) return { rss: await settledRss(server.pid), heap: null, external: null };
  const reading = await server.probe.read();
  return { rss: reading.rss, heap: reading.heapUsed, external: reading.external };
}

/** RSS once it has stopped moving (two readings 0.5 s apart within 1 MB, at most 10 s). */
async function settledRss(pid: number): Promise<number> {
  let last = rssBytes(pid);
  for (let waited = 0; waited < 10_000; waited += 500) {
    await sleep(500);
    const now = rssBytes(pid);
    if (Math.abs(now - last) < MB) return now;
    last = now;
  }
  return last;
}

export async function socketMemory(options: SocketMemoryOptions, log: (line: string) => void = console.error): Promise<SocketMemoryFigures[]> {
  const results: SocketMemoryFigures[] = [];
  for (const name of options.servers) {
    const runs = await repeat(options.runs, async (run) => {
      log(`socket memory: ${LABELS[name]}, run ${run + 1} of ${options.runs}`);
      const result = await runOnce(name, options, run);
      log(`  ${result.heap_bytes_per_socket ?? "—"} B heap, ${result.rss_bytes_per_socket} B RSS per socket (± ${result.rss_slope_error}); load ${result.load_average.end.join(" ")}`);
      return result;
    });
    results.push({
      server: name,
      label: LABELS[name],
      rss_bytes_per_socket: figure(runs.map((r) => r.rss_bytes_per_socket)),
      heap_bytes_per_socket: figure(runs.map((r) => r.heap_bytes_per_socket)),
      external_bytes_per_socket: figure(runs.map((r) => r.external_bytes_per_socket)),
      method: name === "centrifugo" ? "RSS from /proc once steady (Go: no forced collection, no V8 heap)" : "process.memoryUsage() after a forced full collection (--expose-gc)",
      runs,
    });
  }
  return results;
}

export function socketMemoryOptionsFromArgs(args: string[], runs?: number): SocketMemoryOptions {
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  return {
    ...SOCKET_MEMORY,
    runs: runs ?? Number(value("--runs") ?? SOCKET_MEMORY.runs),
    ...(value("--servers") && { servers: value("--servers")!.split(",") as ServerName[] }),
    ...(value("--counts") && { counts: value("--counts")!.split(",").map(Number) }),
    ...(value("--snapshots") && { snapshots: value("--snapshots") }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore();
  socketMemory(socketMemoryOptionsFromArgs(process.argv.slice(2)))
    .then((results) => console.log(JSON.stringify(results, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
