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
export type Received = Omit<ReceiverReport, "type" | "latency" | "resync"> & { latency: Histogram; resync: Histogram };

export class ReceiverPool {
  private readonly children: ChildProcess[];

  constructor(processes: number) {
    this.children = Array.from({ length: processes }, () => fork(RECEIVER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid!);
  }

  /** Opens `count` more sockets, topic i%topics for the i-th; answers how many became ready. */
  async connect(spec: ClientSpec, topics: string[], count: number, { offset = 0, reconnect = false } = {}): Promise<{ ready: number; failed: number; firstError: string | null }> {
    const share = Math.ceil(count / this.children.length);
    const replies = await Promise.all(
      this.children.map((child, i) => {
        const mine = Math.max(0, Math.min(share, count - i * share));
        return ask<{ ready: number; failed: number; first_error: string | null }>(child, {
          type: "connect", spec, topics, count: mine, offset: offset + i * share, localAddresses: SOURCE_ADDRESSES, reconnect,
        }, "connected");
      }),
    );
    return {
      ready: replies.reduce((sum, r) => sum + r.ready, 0),
      failed: replies.reduce((sum, r) => sum + r.failed, 0),
      firstError: replies.find((r) => r.first_error)?.first_error ?? null,
    };
  }

  /** A new measuring window: counts start again, for updates published from now on. */
  async reset(): Promise<void> {
    const since = performance.timeOrigin + performance.now();
    await Promise.all(this.children.map((child) => ask(child, { type: "reset", since }, "reset")));
  }

  async report(): Promise<Received> {
    const reports = await Promise.all(this.children.map((child) => ask<ReceiverReport>(child, { type: "report" }, "report")));
    const latency = new Histogram();
    const resync = new Histogram();
    const closeCodes: Record<string, number> = {};
    const refusals: Record<string, number> = {};
    const add = (into: Record<string, number>, from: Record<string, number>) => {
      for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
    };
    for (const r of reports) {
      latency.merge(r.latency);
      resync.merge(r.resync);
      add(closeCodes, r.closeCodes);
      add(refusals, r.refusals);
    }
    const sum = (key: "deliveries" | "frames" | "bytes" | "gaps" | "undecodable" | "closed" | "regressions" | "resumed" | "away" | "open") => reports.reduce((total, r) => total + r[key], 0);
    return {
      deliveries: sum("deliveries"), frames: sum("frames"), bytes: sum("bytes"), gaps: sum("gaps"), undecodable: sum("undecodable"), closed: sum("closed"),
      regressions: sum("regressions"), resumed: sum("resumed"), away: sum("away"), open: sum("open"), closeCodes, refusals, latency, resync,
    };
  }

  /** Screens still away stop retrying, so the server is left alone. */
  async giveUp(): Promise<void> {
    await Promise.all(this.children.map((child) => ask(child, { type: "give-up" }, "given-up")));
  }

  /** How many screens do not hold their queue's version (`versions`: topic → version). */
  async behind(versions: Record<string, number>): Promise<number> {
    const replies = await Promise.all(this.children.map((child) => ask<{ behind: number }>(child, { type: "check", versions }, "checked")));
    return replies.reduce((sum, r) => sum + r.behind, 0);
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
