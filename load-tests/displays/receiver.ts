// A receiver process of the displays benchmark: it holds many display sockets (on the load
// core, never in the server's process) and records, for every delta, publish→receive
// latency from the delta's `sent_at`, its size, and whether its versions follow on. With
// `reconnect`, a screen whose socket closes comes back as a display does (retrying with
// backoff, asking to resume from the version it holds) and the time from losing its
// socket to its fresh snapshot, or to the server's word that it resumed, is recorded. The
// driver commands it over the IPC channel (see ReceiverCommand).
import WebSocket from "ws";
import { Histogram } from "../lib/histogram.ts";
import { deltaFields, protocols, type ClientProtocol, type ClientSpec } from "./client-protocols.ts";
import { reconnectDelay } from "../../public/src/reconnect-delay.ts";

export type ReceiverCommand =
  | { type: "connect"; spec: ClientSpec; topics: string[]; count: number; offset: number; localAddresses: string[]; reconnect?: boolean }
  /** Starts a measuring window: only updates published from `since` (epoch ms) count. */
  | { type: "reset"; since: number }
  | { type: "report" }
  /** How many screens do not hold their queue's version given here. */
  | { type: "check"; versions: Record<string, number> }
  /** Screens still away stop retrying (they stay away, behind). */
  | { type: "give-up" }
  | { type: "close" };

export interface ReceiverReport {
  type: "report";
  /** Updates delivered to screens (a merged delta counts each update it holds). */
  deliveries: number;
  frames: number;
  bytes: number;
  gaps: number;
  undecodable: number;
  /** Sockets closed by the server or the network while measuring (e.g. dropped for backpressure). */
  closed: number;
  /** Why they were closed: WebSocket close code → count. */
  closeCodes: Record<string, number>;
  /** Re-synced screens whose fresh snapshot was older than the version they held. */
  regressions: number;
  /** Screens back that resumed from the version they held (the missed deltas follow) rather than from a snapshot. */
  resumed: number;
  /** Upgrades answered with an HTTP error instead: status → count. */
  refusals: Record<string, number>;
  /** Screens without a socket right now (reconnecting). */
  away: number;
  open: number;
  latency: ReturnType<Histogram["toJSON"]>;
  /** Socket lost → fresh snapshot, per reconnected screen. */
  resync: ReturnType<Histogram["toJSON"]>;
}

interface Display {
  spec: ClientSpec;
  protocol: ClientProtocol;
  topic: string;
  localAddress: string;
  reconnect: boolean;
  socket: WebSocket | null;
  version: number | null;
  ready: boolean;
  /** When its socket was lost, while it is away. */
  lostAt: number | null;
  attempts: number;
  /** A reconnection is scheduled. */
  retry: NodeJS.Timeout | null;
}

const CONNECTING_AT_ONCE = 200;
const READY_TIMEOUT_MS = 60_000;
const displays: Display[] = [];
const fresh = () => ({ deliveries: 0, frames: 0, bytes: 0, gaps: 0, undecodable: 0, closed: 0, regressions: 0, resumed: 0 });
let tally = fresh();
let closeCodes: Record<string, number> = {};
let refusals: Record<string, number> = {};
let latency = new Histogram();
let resync = new Histogram();
let closing = false;
let givenUp = false;
let since = 0;

const now = () => performance.timeOrigin + performance.now();

/** Opens the display's socket; `ready` runs at its first snapshot or subscription confirmation. */
function attach(display: Display, ready: () => void, failed: (err: Error) => void): void {
  const { protocol, spec, topic } = display;
  const socket = new WebSocket(protocol.url(spec, topic, display.version), { perMessageDeflate: false, localAddress: display.localAddress });
  display.socket = socket;
  socket.on("open", () => {
    const hello = protocol.hello(spec, topic);
    if (hello) socket.send(hello);
  });
  socket.on("message", (data: Buffer) => {
    if (display.socket !== socket) return; // a socket already given up on
    const receivedAt = now();
    const frame = data.toString();
    for (const reading of protocol.read(frame, spec, topic)) {
      if (reading.kind === "reply") socket.send(reading.text);
      else if (reading.kind === "ready") {
        if (display.version !== null && reading.version !== null && reading.version < display.version) tally.regressions++;
        if (reading.resumed) tally.resumed++;
        if (reading.version !== null || display.version === null) display.version = reading.version;
        display.ready = true;
        ready();
      } else if (reading.kind === "delta") receive(display, socket, reading.text, frame.length, receivedAt);
    }
  });
  socket.on("unexpected-response", (req, res) => {
    refusals[res.statusCode!] = (refusals[res.statusCode!] ?? 0) + 1;
    req.destroy();
    failed(new Error(`${topic}: upgrade refused with ${res.statusCode}`));
  });
  socket.on("error", (err) => display.socket === socket && failed(err));
  socket.on("close", (code) => {
    if (closing || display.socket !== socket) return;
    if (display.ready) {
      tally.closed++;
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    }
    display.ready = false;
    failed(new Error(`${topic}: closed (${code})`));
  });
}

function open(display: Display): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${display.topic}: not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    let settled = false;
    attach(
      display,
      () => {
        clearTimeout(timer);
        settled = true;
        resolve();
      },
      (err) => {
        clearTimeout(timer);
        if (!settled) return void ((settled = true), reject(err));
        if (display.reconnect) comeBack(display);
      },
    );
  });
}

/** Lost its socket: retries with backoff until it has resumed or a fresh snapshot is in. */
function comeBack(display: Display): void {
  if (closing || givenUp || display.retry) return;
  display.lostAt ??= now();
  display.retry = setTimeout(() => {
    display.retry = null;
    if (closing) return;
    attach(
      display,
      () => {
        if (display.lostAt !== null) resync.add(now() - display.lostAt);
        display.lostAt = null;
        display.attempts = 0;
      },
      () => comeBack(display),
    );
  }, reconnectDelay(display.attempts++));
}

function receive(display: Display, socket: WebSocket, text: string, frameBytes: number, receivedAt: number): void {
  const fields = deltaFields(text);
  if (!fields) return void tally.undecodable++;
  // Late arrivals of what was published before the window are not the window's.
  if (fields.sentAt >= since) {
    // SmartQueue merges updates of one queue that land in the same tick into one delta:
    // what counts is the updates delivered, whatever the number of frames.
    tally.deliveries += fields.to - fields.from + 1;
    tally.frames++;
    tally.bytes += frameBytes;
    latency.add(receivedAt - fields.sentAt);
  }
  // SmartQueue's first version comes from the snapshot; the peers' from their first delta.
  // (A peer's gap may also be two publishes overtaking each other on the HTTP ingress.)
  if (display.version !== null && fields.from !== display.version + 1) {
    tally.gaps++;
    if (display.protocol.resync) socket.send(display.protocol.resync);
  }
  display.version = fields.to;
}

async function connect(command: Extract<ReceiverCommand, { type: "connect" }>) {
  let next = 0;
  let ready = 0;
  let failed = 0;
  let firstError: string | null = null;
  const protocol = protocols[command.spec.protocol];
  const worker = async () => {
    while (next < command.count) {
      const n = command.offset + next++;
      const display: Display = {
        spec: command.spec, protocol, topic: command.topics[n % command.topics.length]!, localAddress: command.localAddresses[n % command.localAddresses.length]!,
        reconnect: command.reconnect ?? false, socket: null, version: null, ready: false, lostAt: null, attempts: 0, retry: null,
      };
      try {
        await open(display);
        displays.push(display);
        ready++;
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
        display.socket?.terminate();
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTING_AT_ONCE }, worker));
  return { type: "connected", ready, failed, first_error: firstError };
}

function report(): ReceiverReport {
  return {
    type: "report", ...tally, closeCodes, refusals,
    away: displays.filter((d) => d.lostAt !== null).length,
    open: displays.filter((d) => d.socket?.readyState === WebSocket.OPEN).length,
    latency: latency.toJSON(), resync: resync.toJSON(),
  };
}

// The driver is gone (it failed or was stopped): so is the point of these sockets.
process.on("disconnect", () => process.exit(0));

process.on("message", async (command: ReceiverCommand) => {
  if (command.type === "connect") process.send!(await connect(command));
  else if (command.type === "reset") {
    since = command.since;
    tally = fresh();
    closeCodes = {};
    refusals = {};
    latency = new Histogram();
    resync = new Histogram();
    process.send!({ type: "reset" });
  } else if (command.type === "report") process.send!(report());
  else if (command.type === "check") {
    const behind = displays.filter((d) => d.version !== command.versions[d.topic]).length;
    process.send!({ type: "checked", behind, total: displays.length });
  } else if (command.type === "give-up") {
    givenUp = true;
    for (const display of displays) if (display.retry) clearTimeout(display.retry);
    process.send!({ type: "given-up" });
  } else if (command.type === "close") {
    closing = true;
    for (const display of displays) display.socket?.terminate();
    process.send!({ type: "closed" }, () => process.exit(0));
  }
});
