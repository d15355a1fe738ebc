// Hands each queue's changes on to the counting in version order, with none missing.
// `queue.changed` is a broadcast: a node may miss one (a dropped message), and a node
// killed without stopping takes the changes it had heard and not yet written with it. A
// rollup keeps only the last version it counted (rollup.ts), so a change that arrives
// after a later one was written would never count. So, per queue:
// - The first change heard is checked against the queue's mark: the last change whose
//   contributions are written (rollup-writer.ts writes it with each batch).
// - A change that does not follow the last one (its first version is not the next) waits
//   while the commits in between are read back from the journal (by seq, each by _id)
//   and handed on first, as replayed changes; later changes of that queue wait behind it.
// - A change at or below the last one is dropped: it was counted.
// More than `REPLAY_MAX_COMMITS` to read back (a queue counted for the first time after a
// long history, or a gap of hours) is not read: the gap is logged and stays uncounted.
import type { QueueChanged } from "../events.ts";

/** Where a queue's counting stands: the last change handed on (its last version and its journal seq). */
export interface Mark {
  version: number;
  seq: number;
}

/** A journal commit as read back (actors/host/journal.ts `JournalEntry`). */
export interface ReadBackCommit {
  seq: number;
  committedAt: number;
  events: QueueChanged["events"];
}

export interface SequencerDeps {
  /** The queue's stored mark, null when it was never counted. */
  markOf(queueId: string): Promise<Mark | null>;
  /** The queue's commits with seq from `fromSeq` to `toSeq` (at most `pageSize` of them), in seq order. */
  commits(queueId: string, fromSeq: number, toSeq: number): Promise<ReadBackCommit[]>;
  /** Counts a change; `replayed` when it was read back from the journal rather than heard. */
  deliver(change: QueueChanged, replayed: boolean): void;
  warn(details: object, message: string): void;
}

export const REPLAY_MAX_COMMITS = 2000;

export class ChangeSequencer {
  /** Per queue: the last change handed on; `undefined` until known, null when never counted. */
  private readonly last = new Map<string, Mark | null>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: SequencerDeps,
    private readonly pageSize: number,
  ) {}

  /** This node no longer counts the queue: where it stood is read again from its mark if it counts it later. */
  forget(queueId: string): void {
    if (!this.chains.has(queueId)) this.last.delete(queueId);
  }

  /** Takes a heard change; resolves once it (and what it waited for) is handed on or dropped. */
  hear(change: QueueChanged): Promise<void> {
    const queueId = change.queue_id;
    const next = (this.chains.get(queueId) ?? Promise.resolve()).then(() => this.admit(change));
    this.chains.set(queueId, next);
    void next.finally(() => this.chains.get(queueId) === next && this.chains.delete(queueId));
    return next;
  }

  private async admit(change: QueueChanged): Promise<void> {
    const queueId = change.queue_id;
    let last = this.last.get(queueId);
    if (last === undefined) {
      try {
        last = await this.deps.markOf(queueId);
      } catch (err) {
        // Without the mark nothing says what is missing: count what is heard, as before marks.
        this.deps.warn({ err, queue_id: queueId }, "analytics: a queue's mark was not read; changes it missed are not recounted");
        last = { version: change.from_version - 1, seq: (change.seq ?? 1) - 1 };
      }
    }
    if (last && change.version <= last.version) return;
    if (change.from_version > (last?.version ?? 0) + 1) last = await this.replayBefore(change, last);
    this.deps.deliver(change, false);
    this.last.set(queueId, { version: change.version, seq: change.seq ?? 0 });
  }

  /** Hands on the journal's commits between the last change and `change`; returns the new last. */
  private async replayBefore(change: QueueChanged, last: Mark | null): Promise<Mark | null> {
    const queueId = change.queue_id;
    const fromSeq = (last?.seq ?? 0) + 1;
    const toSeq = (change.seq ?? 0) - 1;
    const gap = { queue_id: queueId, after_version: last?.version ?? 0, before_version: change.from_version };
    if (!change.seq || (last && !last.seq)) {
      this.deps.warn(gap, "analytics: changes were missed and cannot be read back (a node without journal seqs sent them)");
      return last;
    }
    if (toSeq - fromSeq + 1 > REPLAY_MAX_COMMITS) {
      this.deps.warn({ ...gap, commits: toSeq - fromSeq + 1 }, "analytics: too many missed changes to read back; they are not counted");
      return last;
    }
    try {
      for (let from = fromSeq; from <= toSeq; from += this.pageSize) {
        for (const commit of await this.deps.commits(queueId, from, Math.min(toSeq, from + this.pageSize - 1))) {
          const events = commit.events.filter((e) => e.version > (last?.version ?? 0));
          if (!events.length) continue;
          this.deps.deliver(replayedChange(change, commit, events), true);
          last = { version: events[events.length - 1]!.version, seq: commit.seq };
        }
      }
    } catch (err) {
      this.deps.warn({ ...gap, err }, "analytics: missed changes were not read back from the journal; they are not counted");
    }
    return last;
  }
}

/** A commit read back, as it was broadcast (without the next tickets, which counting does not read). */
function replayedChange(heard: QueueChanged, commit: ReadBackCommit, events: QueueChanged["events"]): QueueChanged {
  return {
    queue_id: heard.queue_id,
    organization_id: heard.organization_id,
    branch_id: heard.branch_id,
    from_version: events[0]!.version,
    version: events[events.length - 1]!.version,
    seq: commit.seq,
    events,
    next: [],
    sent_at: commit.committedAt,
  };
}
