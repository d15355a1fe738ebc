// The boards behind the live monitors: one per organisation watched on this node, and one
// for the whole platform, each the summaries of its queues (monitor-summary.ts) under a
// version of its own, bumped by one for each delta it publishes. A board is loaded when
// its first watcher comes (the queues' snapshots, from their owners) and dropped with its
// last. After that it changes only when this node hears `queue.changed`: the changed
// queue is read again from its owner, once per tick however many changes and boards
// there are (shared-requests.ts), never from the database. Its version is this node's:
// a client that reconnects, to this node or another, starts from a snapshot.
import type { LoggerInstance } from "moleculer";
import type { QueueChanged } from "../events.ts";
import type { Call } from "./credentials.ts";
import { alertsOf, nextIdleAlertAt, summarize, type MonitorThresholds, type QueueSummary, type QueueView } from "./monitor-summary.ts";
import { SharedRequests } from "./shared-requests.ts";

/** What a board shows and how its deltas go out. */
export interface BoardScope {
  /** The organisation shown, or null for every organisation. */
  organizationId: string | null;
  topic: string;
  /** The message telling watchers at `board.version - 1` what changed. */
  delta(board: Board, changed: QueueSummary[], now: number): object;
}

export interface Board {
  readonly scope: BoardScope;
  version: number;
  readonly queues: Map<string, QueueSummary>;
  watchers: number;
  ready: Promise<void>;
  /** Deltas go out only once the first snapshot can be sent. */
  loaded: boolean;
  /** Wakes the board when an idle counter is due to alert. */
  timer: NodeJS.Timeout | null;
}

const EVERY_ORGANIZATION = "*";
const keyOf = (scope: BoardScope) => scope.organizationId ?? EVERY_ORGANIZATION;

export class MonitorBoards {
  private readonly boards = new Map<string, Board>();
  private readonly views: SharedRequests<QueueView>;

  constructor(
    private readonly call: Call,
    private readonly publish: (topic: string, message: object) => void,
    private readonly thresholds: MonitorThresholds,
    private readonly logger: LoggerInstance,
    private readonly clock: () => number = Date.now,
  ) {
    this.views = new SharedRequests((queueId) => this.call<QueueView>("queues.snapshot", { queue_id: queueId }));
  }

  /** A new watcher of this scope: its board, once loaded. */
  async join(scope: BoardScope): Promise<Board> {
    let board = this.boards.get(keyOf(scope));
    if (!board) {
      board = { scope, version: 0, queues: new Map(), watchers: 0, ready: Promise.resolve(), loaded: false, timer: null };
      this.boards.set(keyOf(scope), board);
      board.ready = this.load(board);
    }
    board.watchers++;
    try {
      await board.ready;
      return board;
    } catch (err) {
      this.leave(board);
      throw err;
    }
  }

  /** A watcher gone: the last one takes its board with it. */
  leave(board: Board): void {
    if (--board.watchers > 0) return;
    if (board.timer) clearTimeout(board.timer);
    if (this.boards.get(keyOf(board.scope)) === board) this.boards.delete(keyOf(board.scope));
  }

  /** Every node hears every change; a queue no board here shows costs nothing. */
  changed(change: QueueChanged): void {
    if (this.showing(change.organization_id).length > 0) void this.refresh(change.queue_id);
  }

  private showing(organizationId: string): Board[] {
    return [this.boards.get(organizationId), this.boards.get(EVERY_ORGANIZATION)].filter((board) => board !== undefined);
  }

  private async refresh(queueId: string): Promise<void> {
    let view: QueueView;
    try {
      view = await this.views.get(queueId);
    } catch (err) {
      // The next change of the queue reads it again.
      return this.logger.warn({ queue_id: queueId, err }, "live: a monitored queue could not be read");
    }
    for (const board of this.showing(view.queue.organization_id)) this.apply(board, [view]);
  }

  private async load(board: Board): Promise<void> {
    const { organizationId } = board.scope;
    const queues = await this.call<Array<{ id: string }>>("queues.monitored", organizationId ? { organization_id: organizationId } : {});
    // A queue deleted since it was listed is left out.
    const views = await Promise.all(queues.map(({ id }) => this.views.get(id).catch(() => null)));
    this.apply(board, views.filter((view) => view !== null));
    board.loaded = true;
  }

  /** Newer views of a board's queues: one delta for those that changed. */
  private apply(board: Board, views: QueueView[]): void {
    const now = this.clock();
    const changed: QueueSummary[] = [];
    for (const view of views) {
      const previous = board.queues.get(view.queue.id);
      // Reads of one queue may answer out of order.
      if (previous && view.snapshot.version <= previous.queue_version) continue;
      const summary = summarize(view, previous, now, this.thresholds);
      board.queues.set(summary.queue_id, summary);
      changed.push(summary);
    }
    this.publishChanges(board, changed, now);
  }

  /** Idle counters that have become due to alert since the last change. */
  private wake(board: Board): void {
    board.timer = null;
    const now = this.clock();
    const changed: QueueSummary[] = [];
    for (const summary of board.queues.values()) {
      const alerts = alertsOf(summary, now, this.thresholds);
      if (JSON.stringify(alerts) === JSON.stringify(summary.alerts)) continue;
      const updated = { ...summary, alerts };
      board.queues.set(updated.queue_id, updated);
      changed.push(updated);
    }
    this.publishChanges(board, changed, now);
  }

  private publishChanges(board: Board, changed: QueueSummary[], now: number): void {
    if (changed.length > 0 && board.loaded) {
      board.version++;
      this.publish(board.scope.topic, board.scope.delta(board, changed, now));
    }
    this.schedule(board, now);
  }

  private schedule(board: Board, now: number): void {
    if (board.timer) clearTimeout(board.timer);
    board.timer = null;
    let due = Infinity;
    for (const summary of board.queues.values()) due = Math.min(due, nextIdleAlertAt(summary, this.thresholds) ?? Infinity);
    if (due === Infinity || board.watchers === 0) return;
    board.timer = setTimeout(() => this.wake(board), Math.max(0, due - now));
    // A board's timer must not keep a stopping node alive.
    board.timer.unref();
  }
}
