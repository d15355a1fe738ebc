// The driver's side of the receiver processes: starts them (they inherit the load core),
// spreads sockets over them and over several loopback source addresses (one address has
// only ~28k ephemeral ports), and merges what they measured.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Histogram } from "../lib/histogram.ts";
import { costMeter, exited, type ProcessCost } from "../lib/rig.ts";
import type { ClientSpec } from "./client-protocols.ts";
import type { ReceiverCommand, ReceiverReport } from "./receiver.ts";

const RECEIVER = fileURLToPath(new URL("./receiver.ts", import.meta.url));
const SOURCE_ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"];

/** What all receivers measured together, their latency histograms merged. */
export type Received = Omit<ReceiverReport, "type" | "latency"> & { latency: Histogram };

export class ReceiverPool {
  private readonly children: ChildProcess[];

  constructor(processes: number) {
    this.children = Array.from({ length: processes }, () => fork(RECEIVER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid!);
  }

  /** Opens `count` more sockets, topic i%topics for the i-th; answers how many became ready. */
  async connect(spec: ClientSpec, topics: string[], count: number, offset = 0): Promise<{ ready: number; failed: number; firstError: string | null }> {
    const share = Math.ceil(count / this.children.length);
    const replies = await Promise.all(
      this.children.map((child, i) => {
        const mine = Math.max(0, Math.min(share, count - i * share));
        return ask<{ ready: number; failed: number; first_error: string | null }>(child, {
          type: "connect", spec, topics, count: mine, offset: offset + i * share, localAddresses: SOURCE_ADDRESSES,
        }, "connected");
      }),
    );
    return {
      ready: replies.reduce((sum, r) => sum + r.ready, 0),
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      firstError: replies.find((r) => r.first_error)?.first_error ?? null,
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.children.map((child) => ask(child, { type: "reset" }, "reset")));
  }

  async report(): Promise<Received> {
    const reports = await Promise.all(this.children.map((child) => ask<ReceiverReport>(child, { type: "report" }, "report")));
    const latency = new Histogram();
    for (const r of reports) latency.merge(r.latency);
    const sum = (key: "deliveries" | "frames" | "bytes" | "gaps" | "undecodable" | "closed" | "open") => reports.reduce((total, r) => total + r[key], 0);
    const closeCodes: Record<string, number> = {};
    for (const r of reports) for (const [code, n] of Object.entries(r.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
    return { closeCodes, deliveries: sum("deliveries"), frames: sum("frames"), bytes: sum("bytes"), gaps: sum("gaps"), undecodable: sum("undecodable"), closed: sum("closed"), open: sum("open"), latency };
  }

  /** Meters every receiver process, to report the load side's cost beside the server's. */
  meters(): Array<{ stop(): ProcessCost }> {
    return this.pids.map(costMeter);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.connected) child.send({ type: "close" } satisfies ReceiverCommand);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited(child);
        clearTimeout(timer);
      }),
    );
  }
}

function ask<T = unknown>(child: ChildProcess, command: ReceiverCommand, replyType: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: any) => {
      if (message?.type !== replyType) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    const onExit = () => reject(new Error(`a receiver exited while asked to ${command.type}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(command);
  });
}
