// A receiver process of the displays benchmark: it holds many display sockets (on the load
// core, never in the server's process) and records, for every delta, publish→receive
// latency from the delta's `sent_at`, its size, and whether its versions follow on. The
// driver commands it over the IPC channel (see ReceiverCommand).
import WebSocket from "ws";
import { Histogram } from "../lib/histogram.ts";
import { deltaFields, protocols, type ClientSpec } from "./client-protocols.ts";

export type ReceiverCommand =
  | { type: "connect"; spec: ClientSpec; topics: string[]; count: number; offset: number; localAddresses: string[] }
  | { type: "reset" }
  | { type: "report" }
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
  open: number;
  latency: ReturnType<Histogram["toJSON"]>;
}

interface Display {
  socket: WebSocket;
  resync: string | null;
  topic: string;
  version: number | null;
  ready: boolean;
}

const CONNECTING_AT_ONCE = 200;
const READY_TIMEOUT_MS = 20_000;
const displays: Display[] = [];
let latency = new Histogram();
let tally = { deliveries: 0, frames: 0, bytes: 0, gaps: 0, undecodable: 0, closed: 0 };
let closeCodes: Record<string, number> = {};
let closing = false;

const now = () => performance.timeOrigin + performance.now();

function open(spec: ClientSpec, topic: string, localAddress: string): Promise<Display> {
  const protocol = protocols[spec.protocol];
  const socket = new WebSocket(protocol.url(spec, topic), { perMessageDeflate: false, localAddress });
  const display: Display = { socket, resync: protocol.resync, topic, version: null, ready: false };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${topic}: not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    socket.on("open", () => {
      const hello = protocol.hello(spec, topic);
      if (hello) socket.send(hello);
    });
    socket.on("message", (data: Buffer) => {
      const receivedAt = now();
      const frame = data.toString();
      for (const reading of protocol.read(frame, spec, topic)) {
        if (reading.kind === "reply") socket.send(reading.text);
        else if (reading.kind === "ready") {
          display.ready = true;
          display.version = reading.version;
          clearTimeout(timer);
          resolve(display);
        } else if (reading.kind === "delta") receive(display, reading.text, frame.length, receivedAt);
      }
    });
    socket.on("unexpected-response", (_req, res) => reject(new Error(`${topic}: upgrade refused with ${res.statusCode}`)));
    socket.on("error", (err) => reject(err));
    socket.on("close", (code) => {
      clearTimeout(timer);
      if (display.ready && !closing) {
        tally.closed++;
        closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      }
      reject(new Error(`${topic}: closed before ready`));
    });
  });
}

function receive(display: Display, text: string, frameBytes: number, receivedAt: number): void {
  const fields = deltaFields(text);
  if (!fields) return void tally.undecodable++;
  // SmartQueue merges updates of one queue that land in the same tick into one delta:
  // what counts is the updates delivered, whatever the number of frames.
  tally.deliveries += fields.to - fields.from + 1;
  tally.frames++;
  tally.bytes += frameBytes;
  latency.add(receivedAt - fields.sentAt);
  // SmartQueue's first version comes from the snapshot; the peers' from their first delta.
  // (A peer's gap may also be two publishes overtaking each other on the HTTP ingress.)
  if (display.version !== null && fields.from !== display.version + 1) {
    tally.gaps++;
    if (display.resync) display.socket.send(display.resync);
  }
  display.version = fields.to;
}

async function connect(command: Extract<ReceiverCommand, { type: "connect" }>) {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < command.count) {
      const i = next++;
      const n = command.offset + i;
      try {
        displays.push(await open(command.spec, command.topics[n % command.topics.length]!, command.localAddresses[n % command.localAddresses.length]!));
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTING_AT_ONCE }, worker));
  return { type: "connected", ready: displays.length, failed, first_error: firstError };
}

function report(): ReceiverReport {
  return { type: "report", ...tally, closeCodes, open: displays.filter((d) => d.socket.readyState === WebSocket.OPEN).length, latency: latency.toJSON() };
}

process.on("message", async (command: ReceiverCommand) => {
  if (command.type === "connect") process.send!(await connect(command));
  else if (command.type === "reset") {
    latency = new Histogram();
    tally = { deliveries: 0, frames: 0, bytes: 0, gaps: 0, undecodable: 0, closed: 0 };
    closeCodes = {};
    process.send!({ type: "reset" });
  } else if (command.type === "report") process.send!(report());
  else if (command.type === "close") {
    closing = true;
    for (const display of displays) display.socket.terminate();
    process.send!({ type: "closed" }, () => process.exit(0));
  }
});
