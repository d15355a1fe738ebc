// Helpers for the scheduler tests: keys of their own, and waiting on what the scheduler
// wrote to the run's database.
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { Connection } from "mongoose";
import type { Config } from "../../config/index.ts";
import type { JobContext } from "../../services/scheduler/job-definition.ts";
import { schedulerStore } from "../../services/scheduler/job-runs.ts";
import { Scheduler } from "../../services/scheduler/scheduler.ts";

export const aKey = (label = "k") => `${label}-${randomUUID()}`;

/**
 * "On time" in tests: made in its own second's pass, far sooner than the minute a call
 * missed by that pass waits, with room for a loaded machine. The 1-s target is measured
 * by the benchmark (`npm run load:reminders`), not asserted here.
 */
export const ON_TIME_MS = 5000;

export function jobContext(broker: ServiceBroker, db: Connection): JobContext {
  return { broker, db, logger: broker.getLogger("scheduler-test") };
}

/**
 * Scheduler nodes in this process, one per context: each hands back to the others what it
 * leaves as it stops, as nodes do through the broker (where a node ignores its own).
 */
export function schedulersOn(contexts: readonly JobContext[], settings: Config["scheduler"]): Scheduler[] {
  const nodes: Scheduler[] = [];
  for (const ctx of contexts) {
    const node: Scheduler = new Scheduler(settings, ctx, (handedBack) => {
      for (const other of nodes) if (other !== node) void other.heard(handedBack);
    });
    nodes.push(node);
  }
  return nodes;
}

/** Schedules `scheduler.ping({ key })` through a `call:` job (`fresh`: the key not read first). */
export function schedulePing(broker: ServiceBroker, key: string, at: Date, fresh = false) {
  return broker.call("scheduler.schedule", {
    name: "call:scheduler.ping",
    at: at.toISOString(),
    data: { action: "scheduler.ping", params: { key } },
    key,
    fresh,
  });
}

export async function pingsFor(db: Connection, keys: string[]) {
  return schedulerStore(db).pings.find({ key: { $in: keys } }).lean();
}

/** The call made for this key, once it is. */
export async function firstPing(db: Connection, key: string) {
  const rows = await waitFor(async () => { const found = await pingsFor(db, [key]); return found.length ? found : undefined; }, 2 * ON_TIME_MS, `the call for ${key}`);
  return rows[0];
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
