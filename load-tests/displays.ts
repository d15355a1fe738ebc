// Displays: N WebSocket screens over M queues on one server, while updates are published.
// For SmartQueue live and its peers (bare uWebSockets.js, plain ws, Socket.IO, Centrifugo),
// each run measures: publish→screen latency at office load (100 updates/s), the highest
// rate every screen keeps up with (a ramp), latency at half that rate, the server's CPU
// time per million deliveries (from /proc), and the server's RSS with the screens
// connected (memory per idle socket is socket-memory.ts's). The server runs on one core;
// the publisher and the receiver processes on the other.
//
//   npm run bench:displays -- [--quick] [--runs N] [--servers smartqueue,uws,...]
import { coreMeter, costMeter, pinSelfToLoadCore, round, rssBytes, sleep, type ProcessCost } from "./lib/rig.ts";
import { figure, repeat, type Figure } from "./lib/runs.ts";
import { ReceiverPool, type Received } from "./displays/receiver-pool.ts";
import { LABELS, SERVER_NAMES, startServer, type DisplayServer, type ServerName } from "./displays/servers.ts";

export interface DisplaysOptions {
  runs: number;
  servers: ServerName[];
  queues: number;
  /** Screens connected while publishing. */
  sockets: number;
  receivers: number;
  officeRate: number;
  officeSeconds: number;
  rampRates: number[];
  stepSeconds: number;
  maxBackpressureBytes: number;
}

export const FULL: DisplaysOptions = {
  runs: 3,
  servers: SERVER_NAMES,
  queues: 100,
  sockets: 10_000,
  receivers: 2,
  officeRate: 100,
  officeSeconds: 6,
  rampRates: [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000],
  stepSeconds: 3,
  maxBackpressureBytes: 65_536,
};

export const QUICK: DisplaysOptions = {
  ...FULL,
  runs: 1,
  queues: 20,
  sockets: 1000,
  officeSeconds: 3,
  rampRates: [500, 2000],
  stepSeconds: 2,
};

const WARM_UP_MS = 1000;
const DRAIN_MS = 500;
const TICK_MS = 5;
/** A rate is kept up with when this share of the expected deliveries arrived and no screen was dropped. */
const KEPT_UP = 0.97;

export interface Window {
  rate: number;
  published: number;
  expected: number;
  deliveries: number;
  deliveries_per_s: number;
  /** WebSocket messages per second: fewer than deliveries where updates were merged. */
  frames_per_s: number;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number;
  gaps: number;
  dropped: number;
  close_codes: Record<string, number>;
  publish_failures: number;
  message_bytes: number | null;
  server: ProcessCost;
  receivers: ProcessCost[];
  /** This driver: the publisher (HTTP client or Moleculer node). */
  publisher: ProcessCost;
  /** How busy each core was, counting every process on the machine. */
  cores: number[];
  server_cpu_s_per_million: number | null;
  kept_up: boolean;
}

export interface DisplaysRun {
  backpressure: string;
  connected: number;
  connect_failed: number;
  connect_s: number;
  office: Window;
  ramp: Window[];
  max: Window | null;
  half: Window | null;
  /** The server's resident memory with the screens connected, before anything is published. */
  server_rss_mb: number;
}

/** Publishes at `rate` updates/s; measures one window after a warm-up. */
async function measureAt(server: DisplayServer, pool: ReceiverPool, sockets: number, rate: number, seconds: number): Promise<Window> {
  let published = 0;
  const publishFor = async (ms: number) => {
    const started = performance.now();
    const base = published;
    while (performance.now() - started < ms) {
      const due = base + Math.floor(((performance.now() - started) / 1000) * rate);
      for (; published < due; published++) server.publishNext();
      await sleep(TICK_MS);
    }
  };
  await publishFor(WARM_UP_MS);
  await pool.reset();
  const publishedBefore = published;
  const failuresBefore = server.publishFailures();
  const serverMeter = costMeter(server.pid);
  const receiverMeters = pool.meters();
  const publisherMeter = costMeter(process.pid);
  const cores = coreMeter();
  const started = performance.now();
  await publishFor(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  await sleep(DRAIN_MS);
  const serverCost = serverMeter.stop();
  const receivers = receiverMeters.map((m) => m.stop());
  const costs = { server: serverCost, receivers, publisher: publisherMeter.stop(), cores: cores.stop() };
  const received = await pool.report();
  const count = published - publishedBefore;
  const expected = Math.round((count * sockets) / server.topics.length);
  return summarise(rate, count, expected, elapsed, received, costs, server.publishFailures() - failuresBefore);
}

type Costs = Pick<Window, "server" | "receivers" | "publisher" | "cores">;

function summarise(rate: number, published: number, expected: number, seconds: number, received: Received, costs: Costs, publishFailures: number): Window {
  const latency = received.latency;
  const keptUp = received.deliveries >= KEPT_UP * expected && received.closed === 0 && publishFailures === 0;
  return {
    rate,
    published,
    expected,
    deliveries: received.deliveries,
    deliveries_per_s: Math.round(received.deliveries / seconds),
    frames_per_s: Math.round(received.frames / seconds),
    p50_ms: latency.percentile(50),
    p99_ms: latency.percentile(99),
    max_ms: round(latency.max, 1),
    gaps: received.gaps,
    dropped: received.closed,
    close_codes: received.closeCodes,
    publish_failures: publishFailures,
    message_bytes: received.frames ? Math.round(received.bytes / received.frames) : null,
    ...costs,
    server_cpu_s_per_million: received.deliveries ? round((costs.server.cpu_s / received.deliveries) * 1e6, 2) : null,
    kept_up: keptUp,
  };
}

async function runOnce(name: ServerName, options: DisplaysOptions): Promise<DisplaysRun> {
  const server = await startServer(name, { queues: options.queues, maxBackpressureBytes: options.maxBackpressureBytes });
  const pool = new ReceiverPool(options.receivers);
  try {
    const connectStarted = performance.now();
    const connected = await pool.connect(server.client, server.topics, options.sockets);
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    if (connected.ready < options.sockets * 0.99) throw new Error(`${name}: only ${connected.ready} of ${options.sockets} screens connected (${connected.firstError})`);
    const serverRssMb = round(rssBytes(server.pid) / 2 ** 20, 1);
    const office = await measureAt(server, pool, connected.ready, options.officeRate, options.officeSeconds);
    const ramp: Window[] = [];
    for (const rate of options.rampRates) {
      const window = await measureAt(server, pool, connected.ready, rate, options.stepSeconds);
      ramp.push(window);
      if (!window.kept_up) break;
    }
    const max = ramp.filter((w) => w.kept_up).at(-1) ?? null;
    const half = max ? await measureAt(server, pool, connected.ready, max.rate / 2, options.officeSeconds) : null;
    return { backpressure: server.backpressure, connected: connected.ready, connect_failed: connected.failed, connect_s: round(connectSeconds, 1), office, ramp, max, half, server_rss_mb: serverRssMb };
  } finally {
    await pool.close();
    await server.stop();
  }
}

export interface DisplaysFigures {
  server: ServerName;
  label: string;
  backpressure: string;
  office_p50_ms: Figure;
  office_p99_ms: Figure;
  office_deliveries_per_s: Figure;
  office_server_cpu_share: Figure;
  max_deliveries_per_s: Figure;
  max_frames_per_s: Figure;
  max_rate_updates_per_s: Figure;
  max_p99_ms: Figure;
  max_server_cpu_share: Figure;
  max_receivers_cpu_share: Figure;
  max_publisher_cpu_share: Figure;
  half_rate_p99_ms: Figure;
  server_cpu_s_per_million: Figure;
  message_bytes: Figure;
  server_rss_mb: Figure;
  connect_s: Figure;
  gaps: number;
  dropped: number;
  runs: DisplaysRun[];
}

export async function benchDisplays(options: DisplaysOptions, log: (line: string) => void = console.error): Promise<DisplaysFigures[]> {
  const results: DisplaysFigures[] = [];
  for (const name of options.servers) {
    const runs = await repeat(options.runs, async (run) => {
      log(`displays: ${LABELS[name]}, run ${run + 1} of ${options.runs}`);
      const result = await runOnce(name, options);
      log(`  office p99 ${result.office.p99_ms} ms; max ${result.max?.deliveries_per_s ?? "—"} deliveries/s at ${result.max?.rate ?? "—"} updates/s`);
      return result;
    });
    const sumOf = (pick: (w: Window) => number) => runs.reduce((total, r) => total + [r.office, ...r.ramp, ...(r.half ? [r.half] : [])].reduce((s, w) => s + pick(w), 0), 0);
    // The busiest window of each run measures CPU per delivery best: idle costs weigh least there.
    const busiest = (r: DisplaysRun) => r.max ?? r.ramp[0]!;
    results.push({
      server: name,
      label: LABELS[name],
      backpressure: runs[0]!.backpressure,
      office_p50_ms: figure(runs.map((r) => r.office.p50_ms)),
      office_p99_ms: figure(runs.map((r) => r.office.p99_ms)),
      office_deliveries_per_s: figure(runs.map((r) => r.office.deliveries_per_s)),
      office_server_cpu_share: figure(runs.map((r) => r.office.server.cpu_share)),
      max_deliveries_per_s: figure(runs.map((r) => r.max?.deliveries_per_s)),
      max_frames_per_s: figure(runs.map((r) => r.max?.frames_per_s)),
      max_rate_updates_per_s: figure(runs.map((r) => r.max?.rate)),
      max_p99_ms: figure(runs.map((r) => r.max?.p99_ms)),
      max_server_cpu_share: figure(runs.map((r) => r.max?.server.cpu_share)),
      max_receivers_cpu_share: figure(runs.map((r) => (r.max ? round(r.max.receivers.reduce((s, c) => s + c.cpu_share, 0), 2) : null))),
      max_publisher_cpu_share: figure(runs.map((r) => r.max?.publisher.cpu_share)),
      half_rate_p99_ms: figure(runs.map((r) => r.half?.p99_ms)),
      server_cpu_s_per_million: figure(runs.map((r) => busiest(r).server_cpu_s_per_million)),
      message_bytes: figure(runs.map((r) => r.office.message_bytes)),
      server_rss_mb: figure(runs.map((r) => r.server_rss_mb)),
      connect_s: figure(runs.map((r) => r.connect_s)),
      gaps: sumOf((w) => w.gaps),
      dropped: sumOf((w) => w.dropped),
      runs,
    });
  }
  return results;
}

export function displaysOptionsFromArgs(args: string[]): DisplaysOptions {
  const options = { ...(args.includes("--quick") ? QUICK : FULL) };
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (value("--runs")) options.runs = Number(value("--runs"));
  if (value("--servers")) options.servers = value("--servers")!.split(",") as ServerName[];
  if (value("--sockets")) options.sockets = Number(value("--sockets"));
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore();
  benchDisplays(displaysOptionsFromArgs(process.argv.slice(2)))
    .then((results) => console.log(JSON.stringify(results, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
