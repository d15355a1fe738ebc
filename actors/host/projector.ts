// The projector: writes what the journal already holds into the tickets read model (and
// its bounded views, ticket-views.ts) and the queue snapshots, behind the
// acknowledgement. Commits are applied in the order they were committed (per queue, in
// seq order), batched across queues, idempotently: a row is only replaced by a version
// that supersedes it (read-model.ts). A queue's snapshot is
// written only after the rows of every commit up to its seq, so the snapshot's seq is
// also where projection resumes: an activation replays the commits after it and hands
// them here again. A failed batch is kept and retried with backoff; nothing is dropped.
import type { LoggerInstance } from "moleculer";
import { snapshotDoc, type DurableCommit } from "./journal.ts";
import { foldCommit, writeRows, type RowChange } from "./read-model.ts";
import type { HostStore } from "./store.ts";
import { writeViews } from "./ticket-views.ts";

/** A durable commit with where its queue belongs (its state is what the snapshot stores). */
export interface Projection extends DurableCommit {
  queueId: string;
  organizationId: string;
  branchId: string | null;
}

export interface ProjectorOptions {
  store: HostStore;
  logger: LoggerInstance;
  /** Told once a queue's commits up to `seq` are in the read model. */
  onProjected: (queueId: string, seq: number) => void;
  clock?: () => number;
}

/**
 * A snapshot bounds what an activation replays (and re-projects), and costs a write of the
 * queue's whole state, open tickets included: a queue with 300 people waiting has a 100 KB
 * snapshot, which the embedded server reads back and rewrites whole. So one is written once
 * the commits since the last carry about as many ticket versions as it holds (each event
 * carries one): snapshots then cost at most about what the journal costs (deflated, as
 * journal.ts stores them now, about 3 KB, far less), and a replay reads about twice a
 * snapshot's worth. At least `SNAPSHOT_MIN_EVENTS` apart; at most
 * `SNAPSHOT_MAX_EVENTS`, which keeps an activation's replay to a few hundred commits.
 */
const SNAPSHOT_MIN_EVENTS = 16;
const SNAPSHOT_MAX_EVENTS = 512;
export const snapshotDue = (eventsSince: number, openTickets: number) =>
  eventsSince >= Math.min(SNAPSHOT_MAX_EVENTS, Math.max(SNAPSHOT_MIN_EVENTS, openTickets));
/** Commits written per batch: one insertMany and one bulkWrite for all of them. */
const MAX_BATCH = 1000;
/**
 * A batch starts at least this long after the one before it. Each batch costs the
 * embedded server a transaction (and an fsync) per collection it writes, whatever its
 * size; started as soon as the last one was written, batches under call-next alone held
 * about five commits each and were half the database's commands. The read model lags by
 * up to this much more, far inside its 1 s (docs/bench-runs/2026-12-03-projector-pace.md).
 */
const BATCH_EVERY_MS = 100;
const RETRY_MS = [50, 200, 1000, 2000, 5000];

export class Projector {
  private backlog: Projection[] = [];
  /** Per queue: events projected since its latest snapshot. */
  private readonly eventsSinceSnapshot = new Map<string, number>();
  private running: Promise<void> | null = null;
  private failures = 0;
  private lastBatchAt = -Infinity;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];
  /** Woken after each batch, written or failed. */
  private readonly batchWaiters: Array<() => void> = [];
  private readonly clock: () => number;

  constructor(private readonly options: ProjectorOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** At activation: the commits after the queue's snapshot are enqueued again and counted from there. */
  track(queueId: string): void {
    this.eventsSinceSnapshot.set(queueId, 0);
  }

  forget(queueId: string): void {
    this.eventsSinceSnapshot.delete(queueId);
  }

  enqueue(projection: Projection): void {
    this.backlog.push(projection);
    if (!this.running && !this.stopped) this.running = this.loop().finally(() => (this.running = null));
  }

  /** Commits durable in the journal and not yet in the read model. */
  get pending(): number {
    return this.backlog.length;
  }

  /** How long the oldest commit not yet projected has waited (0 when none). */
  lagMs(): number {
    const oldest = this.backlog[0];
    return oldest ? Math.max(0, this.clock() - oldest.committedAt) : 0;
  }

  /**
   * Resolves once the oldest commit not yet projected is at most `maxLagMs` old, or once
   * `waitAtMostMs` have passed: a projector that keeps failing must not stop the journal.
   */
  async lagBelow(maxLagMs: number, waitAtMostMs: number): Promise<void> {
    const deadline = performance.now() + waitAtMostMs;
    while (this.running && !this.stopped && this.lagMs() > maxLagMs) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.batchWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Resolves once everything enqueued so far is projected. */
  idle(): Promise<void> {
    if (!this.backlog.length && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking new batches after the one in flight; what is left is re-projected by the next activation. */
  async stop(graceMs: number): Promise<void> {
    if (this.stopped) return;
    const drained = this.idle();
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (this.backlog.length && !this.stopped) {
      const wait = this.lastBatchAt + BATCH_EVERY_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.stopped) break;
      this.lastBatchAt = performance.now();
      const batch = this.backlog.slice(0, MAX_BATCH);
      try {
        await this.project(batch);
        this.backlog.splice(0, batch.length);
        this.failures = 0;
        for (const { queueId, seq } of latestPerQueue(batch).values()) this.options.onProjected(queueId, seq);
      } catch (err) {
        const wait = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
        this.options.logger.warn({ err, pending: this.backlog.length, retry_ms: wait }, "read model lags the journal; retrying");
        await new Promise((resolve) => setTimeout(resolve, wait));
      } finally {
        for (const wake of this.batchWaiters.splice(0)) wake();
      }
    }
    if (!this.backlog.length) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async project(batch: Projection[]): Promise<void> {
    const rows = new Map<string, RowChange>();
    for (const commit of batch) foldCommit(rows, commit);
    await writeViews(this.options.store, await writeRows(this.options.store, rows.values()));
    for (const p of batch) this.eventsSinceSnapshot.set(p.queueId, (this.eventsSinceSnapshot.get(p.queueId) ?? 0) + p.events.length);
    const due = [...latestPerQueue(batch).values()].filter((p) => snapshotDue(this.eventsSinceSnapshot.get(p.queueId) ?? 0, p.state.tickets.length));
    if (!due.length) return;
    const snapshots = due.map((p) => snapshotDoc(p.queueId, p.seq, p.epoch, p.state));
    // A snapshot written late by a node that lost the queue only means a longer replay:
    // commits are immutable and contiguous, and this one's rows are written already.
    await this.options.store.snapshots.bulkWrite(
      snapshots.map((s) => ({ replaceOne: { filter: { _id: s._id }, replacement: s, upsert: true } })),
      { ordered: false },
    );
    for (const p of due) this.eventsSinceSnapshot.set(p.queueId, 0);
  }
}

function latestPerQueue(batch: Projection[]): Map<string, Projection> {
  const latest = new Map<string, Projection>();
  for (const p of batch) if ((latest.get(p.queueId)?.seq ?? -1) < p.seq) latest.set(p.queueId, p);
  return latest;
}
