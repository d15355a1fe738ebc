// Writes rollups behind the events, in batches: a change is only turned into
// contributions and buffered when it is heard; every `flushMs` the buffered contributions
// go to their rollups — each read by _id unless this writer wrote it lately (below), then
// bulk writes of the rollups that took something, `ROLLUPS_PER_WRITE` at a time. A
// rollup has one writer, its queue's counting node (rollup.ts), so what this writer last
// wrote of it is what the database holds while it keeps counting that queue: those are
// kept (`written`) and not read again, which in a busy office was the most frequent
// database operation of all (docs/bench-runs/2026-12-03-per-command-costs.md). They are
// dropped when the node stops counting the queue (`forget`), when a batch fails, and once
// untouched for `KEPT_FOR_BATCHES` batches. The rollup's `version` (rollup.ts) makes a
// contribution count once however often it is written: a failed batch is simply
// buffered again, and a replayed change adds nothing. With each batch, after its rollups,
// goes each queue's mark (`analytics_marks`, _id the queue id): the last change whose
// contributions are now written, which change-sequencer.ts reads to find what a killed
// node had not written.
// Who served each ticket (served.ts) and the citizens' visits (visits.ts) are written in
// the same batch, before the marks.
import type { QueueChanged } from "../events.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import type { Mark } from "./change-sequencer.ts";
import { recordServed, servedIn, type Served } from "./served.ts";
import { VisitRecorder, visitsIn, type Visit } from "./visits.ts";
import { applied, contributionsOf, rollupId, type Contribution, type Rollup, type RollupKey } from "./rollup.ts";
import { packedRollup, readRollup, type AnalyticsStore } from "./store.ts";

const READS_IN_FLIGHT = 8;
/** Rollups counted and replaced per bulkWrite, with a turn of the event loop before each, so
 * that a batch of a few hundred (their sketches nested) is not merged and serialised in
 * one stretch while the node's live deltas wait. Measured, its effect on the displays'
 * office p99 was within the noise (docs/bench-runs/2026-12-03-per-command-costs.md).
 * Ten, not fifty: the embedded server writes one command at a time, and 50 upserts of
 * rollups took it 40 to 55 ms, during which every journal append waited
 * (docs/bench-runs/2026-12-05-bounded-background-writes.md). */
export const ROLLUPS_PER_WRITE = 10;
/** A kept rollup not touched for this many batches is dropped (an hour's is done with once the hour is over). */
const KEPT_FOR_BATCHES = 30;

interface Pending {
  key: RollupKey;
  contributions: Contribution[];
}

export class RollupWriter {
  private pending = new Map<string, Pending>();
  /** Per queue, the last change buffered (changes come in version order: change-sequencer.ts). */
  private marks = new Map<string, Mark>();
  private served: Served[] = [];
  private visits: Visit[] = [];
  private readonly visitRecorder: VisitRecorder;
  private knownSeries = new Set<string>();
  /** Per queue, its rollups as this writer last wrote them, with the batch that wrote them. */
  private written = new Map<string, Map<string, { rollup: Rollup; batch: number }>>();
  private batches = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: AnalyticsStore,
    private readonly flushMs: number,
    /** The target wait of a queue without its own (config: MONITOR_TARGET_WAIT_MINUTES). */
    private readonly targetWaitMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.visitRecorder = new VisitRecorder(store.rollups.db);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** This node no longer counts the queue: its rollups are read again if it counts it later. */
  forget(queueId: string): void {
    this.written.delete(queueId);
  }

  /** Buffers a change's contributions; nothing is written on the caller's path. */
  add(change: QueueChanged): void {
    if (change.seq) this.marks.set(change.queue_id, { version: change.version, seq: change.seq });
    this.served.push(...servedIn(change));
    this.visits.push(...visitsIn(change));
    for (const c of contributionsOf(change)) {
      const id = rollupId(c.key.series, c.key.start);
      const entry = this.pending.get(id) ?? { key: c.key, contributions: [] };
      entry.contributions.push(c);
      this.pending.set(id, entry);
    }
  }

  /** Writes what is buffered (one flush at a time); resolves once it is written or re-buffered. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.pending.size && !this.marks.size && !this.served.length && !this.visits.length) return;
    const batch = this.pending;
    const marks = this.marks;
    const served = this.served;
    const visits = this.visits;
    this.pending = new Map();
    this.marks = new Map();
    this.served = [];
    this.visits = [];
    this.flushing = this.write(batch, marks, served, visits).catch((err) => {
      // Some of the batch may have been written: what it holds is read again.
      for (const { key } of batch.values()) this.written.delete(key.queue_id);
      for (const [id, entry] of batch) {
        const later = this.pending.get(id);
        this.pending.set(id, later ? { key: entry.key, contributions: [...entry.contributions, ...later.contributions] } : entry);
      }
      for (const [queueId, mark] of marks) if (!this.marks.has(queueId)) this.marks.set(queueId, mark);
      // Concatenated, not spread: after a long outage a batch may hold more than a call takes arguments.
      this.served = served.concat(this.served);
      this.visits = visits.concat(this.visits);
      this.onError(err);
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async write(batch: Map<string, Pending>, marks: Map<string, Mark>, served: Served[], visits: Visit[]): Promise<void> {
    await this.recordSeries([...batch.values()].map((p) => p.key));
    if (served.length) await recordServed(this.store.rollups.db, served);
    if (visits.length) await this.visitRecorder.record(visits);
    const batchNumber = ++this.batches;
    const entries = [...batch.entries()];
    for (let from = 0; from < entries.length; from += ROLLUPS_PER_WRITE) {
      await new Promise((resolve) => setImmediate(resolve));
      const rollups = await mapLimited(entries.slice(from, from + ROLLUPS_PER_WRITE), READS_IN_FLIGHT, async ([id, { key, contributions }]) => {
        const stored = this.written.get(key.queue_id)?.get(id)?.rollup ?? (await readRollup(this.store, id));
        return applied(stored, key, contributions, this.targetWaitMs);
      });
      const changed = rollups.filter((r): r is Rollup => r !== null);
      const ops = changed.map((r) => ({ replaceOne: { filter: { _id: r._id }, replacement: packedRollup(r), upsert: true } }));
      // Through the driver: mongoose casts each replacement into a document first, and for a
      // batch of a few hundred rollups (their sketches nested) that held the event loop for
      // about half a second, delaying every live delta of a node that also runs the live
      // channels (docs/bench-runs/2026-12-03-displays-regression.md). The rollups are built whole by
      // `applied` from emptyFigures(), and packed (store.ts).
      if (ops.length) await this.store.rollups.collection.bulkWrite(ops as never, { ordered: false });
      this.keep(changed, batchNumber);
    }
    this.dropUntouched(batchNumber);
    // Only once the rollups, servers and visits are written: a mark says everything up to it is counted.
    const markOps = [...marks].map(([queueId, mark]) => ({ replaceOne: { filter: { _id: queueId }, replacement: { _id: queueId, ...mark }, upsert: true } }));
    if (markOps.length) await this.store.marks.bulkWrite(markOps as never, { ordered: false });
  }

  /** Remembers the rollups just written by batch `batch`. */
  private keep(rollups: Rollup[], batch: number): void {
    for (const rollup of rollups) {
      const ofQueue = this.written.get(rollup.queue_id) ?? new Map();
      ofQueue.set(rollup._id, { rollup, batch });
      this.written.set(rollup.queue_id, ofQueue);
    }
  }

  /** Forgets the rollups no batch has touched for long. */
  private dropUntouched(batch: number): void {
    for (const [queueId, ofQueue] of this.written) {
      for (const [id, { batch: last }] of ofQueue) if (batch - last >= KEPT_FOR_BATCHES) ofQueue.delete(id);
      if (!ofQueue.size) this.written.delete(queueId);
    }
  }

  /** Notes, once, which organisation (and branch and queue) each counted series belongs to. */
  private async recordSeries(keys: RollupKey[]): Promise<void> {
    for (const { series, kind, member_id, organization_id, queue_id, branch_id } of keys) {
      const id = `${organization_id}:${series}`;
      if (this.knownSeries.has(id)) continue;
      await claimOnce(this.store.series, id, { series, kind, member_id, organization_id, queue_id, branch_id });
      this.knownSeries.add(id);
    }
  }
}
