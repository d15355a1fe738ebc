// What a live monitor shows of one queue, and when it alerts. Worked out from the queue's
// snapshot as its owner answers it, and from when this node saw a counter fall idle or
// people start waiting (a snapshot has no clock of its own): pure, so the alerts can be
// checked at any `now`.
import { openCounters, waitFor } from "../../actors/queue/estimates.ts";
import type { QueueSnapshot, QueueStatus } from "../../actors/queue/types.ts";

export interface MonitorThresholds {
  /** A queue without a target wait of its own alerts when its last waiting ticket is expected to wait longer than this. */
  targetWaitMs: number;
  /** An open counter idle this long while people wait alerts. */
  idleAlertMs: number;
}

/** A queue as `queues.snapshot` answers it. */
export interface QueueView {
  /** `target_wait_ms`: the queue's own target wait (its policy's), null or absent when it has none. */
  queue: { id: string; organization_id: string; branch_id: string | null; name: string; target_wait_ms?: number | null };
  snapshot: QueueSnapshot;
}

export interface CounterSummary {
  id: string;
  name: string;
  state: "closed" | "idle" | "serving";
  ticket_id: string | null;
  /** Epoch ms since when this node has seen it open and free; null unless idle. */
  idle_since: number | null;
}

export type Alert =
  | { kind: "wait_over_target"; estimated_wait_ms: number; target_wait_ms: number }
  | { kind: "counter_idle"; counter_id: string; idle_since: number };

export interface QueueSummary {
  queue_id: string;
  organization_id: string;
  branch_id: string | null;
  name: string;
  status: QueueStatus;
  /** The queue's own version this summary was made from. */
  queue_version: number;
  waiting_count: number;
  serving_count: number;
  open_counters: number;
  /** The estimated wait of the last ticket in line (0 when nobody waits). */
  estimated_wait_ms: number;
  /** The wait it alerts past: the queue's own target, else the monitors' default. */
  target_wait_ms: number;
  /** Epoch ms since when this node has seen people waiting; null when nobody waits. */
  waiting_since: number | null;
  counters: CounterSummary[];
  alerts: Alert[];
}

export function summarize({ queue, snapshot }: QueueView, previous: QueueSummary | undefined, now: number, thresholds: MonitorThresholds): QueueSummary {
  const open = openCounters(snapshot);
  const waiting = snapshot.waiting_count;
  const counters = snapshot.counters.map((counter): CounterSummary => {
    const state = !counter.open ? "closed" : counter.ticket_id === null ? "idle" : "serving";
    const before = previous?.counters.find((c) => c.id === counter.id);
    const idle_since = state !== "idle" ? null : (before?.idle_since ?? now);
    return { id: counter.id, name: counter.name, state, ticket_id: counter.ticket_id, idle_since };
  });
  const base = {
    queue_id: queue.id,
    organization_id: queue.organization_id,
    branch_id: queue.branch_id,
    name: queue.name,
    status: snapshot.status,
    queue_version: snapshot.version,
    waiting_count: waiting,
    serving_count: snapshot.now_serving.length,
    open_counters: open,
    estimated_wait_ms: waiting === 0 ? 0 : waitFor(waiting, open, snapshot.estimate.service_ms),
    target_wait_ms: queue.target_wait_ms ?? thresholds.targetWaitMs,
    waiting_since: waiting === 0 ? null : (previous?.waiting_since ?? now),
    counters,
  };
  return { ...base, alerts: alertsOf(base, now, thresholds) };
}

/** The alerts a summary raises at `now`. */
export function alertsOf(summary: Omit<QueueSummary, "alerts">, now: number, { idleAlertMs }: MonitorThresholds): Alert[] {
  const alerts: Alert[] = [];
  if (summary.estimated_wait_ms > summary.target_wait_ms) {
    alerts.push({ kind: "wait_over_target", estimated_wait_ms: summary.estimated_wait_ms, target_wait_ms: summary.target_wait_ms });
  }
  for (const counter of summary.counters) {
    const since = idleWhileWaitingSince(summary, counter);
    if (since !== null && now - since >= idleAlertMs) alerts.push({ kind: "counter_idle", counter_id: counter.id, idle_since: counter.idle_since! });
  }
  return alerts;
}

/** When a counter of the summary will start to alert for idleness, if it is idle while people wait and does not alert yet. */
export function nextIdleAlertAt(summary: QueueSummary, { idleAlertMs }: MonitorThresholds): number | null {
  let next: number | null = null;
  for (const counter of summary.counters) {
    const since = idleWhileWaitingSince(summary, counter);
    if (since === null || summary.alerts.some((a) => a.kind === "counter_idle" && a.counter_id === counter.id)) continue;
    next = Math.min(next ?? Infinity, since + idleAlertMs);
  }
  return next;
}

/** A counter idles while people wait only in an open queue (a paused one calls nobody on purpose). */
function idleWhileWaitingSince(summary: Omit<QueueSummary, "alerts">, counter: CounterSummary): number | null {
  if (summary.status !== "open" || counter.idle_since === null || summary.waiting_since === null) return null;
  return Math.max(counter.idle_since, summary.waiting_since);
}
