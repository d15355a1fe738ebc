// `/ws/queue/{queueId}`: a snapshot first, then every change as a delta. The snapshot
// asked for at admission serves twice: it says whose queue it is (for authorisation) and
// it is what the client sees first. A screen coming back with `?since=<version>` gets
// only what it missed, from this node's recent deltas, when they reach back that far.
// A view fetched moments ago serves the screens that follow, with the deltas heard since
// it: when a node restarts, its screens come back by the thousand, and a request to the
// queues' node for each was most of a re-admission's cost.
import type { LoggerInstance } from "moleculer";
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { errors } from "../../mixins/api/errors.ts";
import { toFieldIssues } from "../../mixins/api/validated.ts";
import { mayWatchQueue, sessionOfViewer, type QueueOwner, type Viewer } from "./access.ts";
import type { LiveSession } from "./session-sockets.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Call, Credentials } from "./credentials.ts";
import type { Delta } from "./delta.ts";
import type { DeltaRing } from "./delta-ring.ts";
import { deltaMessage, errorMessage, failureOf, resumedMessage } from "./messages.ts";
import type { QueueFeeds, Watcher } from "./queue-feeds.ts";
import { QueueChannelQuery, QueueClientMessage, type ClientMessage } from "./schemas.ts";
import { SharedRequests } from "./shared-requests.ts";
import { SnapshotMessages } from "./snapshot-messages.ts";

interface QueueView {
  queue: QueueOwner & { id: string; name: string };
  snapshot: QueueSnapshot;
}

interface Admitted {
  viewer: Viewer;
  watcher: Watcher;
  /** Sent when the socket opens, then let go: kept per socket it was most of its memory. */
  first: QueueSnapshot | null;
  name: string;
  /** The version a screen coming back holds (`?since=`), else null. */
  since: number | null;
  /** A re-sync is under way: further requests for one are redundant. */
  resyncing: boolean;
  /** Its feed found it behind during that re-sync: another follows it. */
  behindAgain: boolean;
}

/** The socket is of no use without a snapshot: the client reconnects, maybe to another node. */
const SNAPSHOT_FAILED = 1011;
/** How long a fetched view's snapshot serves new screens (with the deltas heard since): its name may change meanwhile. */
export const VIEW_REUSED_FOR_MS = 1000;

export class QueueChannel implements Channel<Admitted, ClientMessage> {
  readonly name = "queue";
  readonly pattern = "/ws/queue/:queueId";
  readonly messages = QueueClientMessage;
  private readonly views: SharedRequests<QueueView>;
  private readonly snapshots = new SnapshotMessages();
  /** The newest view fetched of each queue watched here, and when. */
  private readonly fetched = new Map<string, { view: QueueView; at: number }>();
  /** The open sockets' watchers, for the feeds to have one re-synced (queue-feeds.ts). */
  private readonly opened = new Map<Watcher, { peer: Peer; admitted: Admitted }>();

  constructor(
    private readonly call: Call,
    private readonly credentials: Pick<Credentials, "viewerOf">,
    private readonly feeds: QueueFeeds,
    private readonly recent: DeltaRing,
    private readonly logger: LoggerInstance,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.views = new SharedRequests(async (queueId) => {
      const view = await this.call<QueueView>("queues.snapshot", { queue_id: queueId });
      this.keep(queueId, view);
      return view;
    });
    feeds.refreshWith((watcher) => this.refresh(watcher));
  }

  async admit(request: UpgradeRequest): Promise<Admitted> {
    const [queueId] = request.params;
    const viewer = await this.credentials.viewerOf(request);
    const query = QueueChannelQuery.safeParse({ since: request.since });
    const since = query.success ? (query.data.since ?? null) : null;
    // Joined before the snapshot is taken, so no delta published meanwhile is missed.
    const watcher = this.feeds.join(queueId);
    try {
      const { queue, snapshot } = this.reusable(queueId, since) ?? (await this.arriving(queueId, since)) ?? (await this.view(queueId));
      // Whose queue it is comes first: a bad query tells nothing to who may not watch it.
      if (!mayWatchQueue(viewer, queue)) throw errors.forbidden("watch this queue");
      if (!query.success) throw errors.validation(toFieldIssues(query.error));
      return { viewer, watcher, first: snapshot, name: queue.name, since, resyncing: false, behindAgain: false };
    } catch (err) {
      this.leave(watcher);
      throw err;
    }
  }

  sessionOf({ viewer }: Admitted): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon({ watcher }: Admitted): void {
    this.leave(watcher);
  }

  open(peer: Peer, admitted: Admitted): void {
    admitted.watcher.peer = peer;
    this.opened.set(admitted.watcher, { peer, admitted });
    const missed = admitted.since === null ? null : this.missedBy(admitted.watcher.queueId, admitted.since, admitted.first!.version);
    if (missed) this.sendMissed(peer, admitted.watcher, admitted.since!, missed);
    // Admitted to resume, with a view kept only for whose queue it is, and the deltas it
    // needed gone since (a rare eviction): that view is older than the screen, a fresh one follows.
    else if (admitted.since !== null && admitted.first!.version < admitted.since) void this.resync(peer, admitted);
    else this.sendSnapshot(peer, admitted, admitted.first!);
    admitted.first = null;
  }

  receive(peer: Peer, admitted: Admitted): void {
    // The only message left once pings are answered is a request to re-sync.
    if (!admitted.resyncing) void this.resync(peer, admitted);
  }

  close({ watcher }: Admitted): void {
    this.leave(watcher);
  }

  private leave(watcher: Watcher): void {
    this.opened.delete(watcher);
    this.feeds.leave(watcher);
    if (this.feeds.isWatched(watcher.queueId)) return;
    this.snapshots.forget(watcher.queueId);
    this.fetched.delete(watcher.queueId);
  }

  private async resync(peer: Peer, admitted: Admitted): Promise<void> {
    const { watcher } = admitted;
    admitted.resyncing = true;
    this.feeds.hold(watcher);
    try {
      const { queue, snapshot } = await this.view(watcher.queueId);
      admitted.name = queue.name;
      if (!peer.closed) this.sendSnapshot(peer, admitted, snapshot);
    } catch (err) {
      if (failureOf(err).unexpected) this.logger.error({ queue_id: watcher.queueId, err }, "live: re-sync failed");
      peer.send(errorMessage(err));
      peer.end(SNAPSHOT_FAILED, "no snapshot");
    } finally {
      admitted.resyncing = false;
    }
    if (admitted.behindAgain && !peer.closed) {
      admitted.behindAgain = false;
      await this.resync(peer, admitted);
    }
  }

  /** The feed found the watcher behind by versions this node never got: a fresh snapshot. */
  private refresh(watcher: Watcher): void {
    const open = this.opened.get(watcher);
    if (!open) return;
    if (open.admitted.resyncing) open.admitted.behindAgain = true;
    else void this.resync(open.peer, open.admitted);
  }

  /**
   * What a screen at `since` missed of a queue whose snapshot is at `current`, or null
   * when only a snapshot will do: a version this node never heard (older than its recent
   * deltas, or ahead of them and of `current`) cannot be caught up. A version heard here
   * may be ahead of `current`, the snapshot being a moment old: what followed it is in the
   * recent deltas. When this node has not yet heard the deltas up to `current`, they reach
   * the watcher as they arrive (see queue-feeds.ts).
   */
  private missedBy(queueId: string, since: number, current: number): Delta[] | null {
    return this.recent.since(queueId, since) ?? (since === current ? [] : null);
  }

  private sendMissed(peer: Peer, watcher: Watcher, since: number, missed: Delta[]): void {
    peer.batch(() => {
      peer.send(resumedMessage(watcher.queueId, since));
      for (const delta of missed) peer.send(deltaMessage(delta));
      this.feeds.synced(watcher, missed.at(-1)?.version ?? since);
    });
  }

  /** The snapshot, then the deltas this node has heard since it. */
  private sendSnapshot(peer: Peer, { watcher, name }: Admitted, snapshot: QueueSnapshot): void {
    const since = this.recent.since(watcher.queueId, snapshot.version) ?? [];
    peer.batch(() => {
      peer.send(this.snapshots.textOf(watcher.queueId, name, snapshot));
      for (const delta of since) peer.send(deltaMessage(delta));
      this.feeds.synced(watcher, since.at(-1)?.version ?? snapshot.version);
    });
  }

  /** Kept while the queue is watched here; from its version on, the ring keeps what follows. */
  private keep(queueId: string, view: QueueView): void {
    const kept = this.fetched.get(queueId);
    if (!this.feeds.isWatched(queueId) || (kept && kept.view.snapshot.version > view.snapshot.version)) return;
    this.recent.startAt(queueId, view.snapshot.version);
    this.fetched.set(queueId, { view, at: this.now() });
  }

  /**
   * The view fetched moments ago, when the deltas heard since can bring a screen up to
   * date from it, or from the version the screen holds; never a snapshot older than what
   * the screen holds. A screen that resumes from the deltas heard here (one handed over
   * by a stopping node, say, which holds a version newer than the view) needs the view
   * only for whose queue it is, however old the view.
   */
  private reusable(queueId: string, since: number | null): QueueView | null {
    const kept = this.fetched.get(queueId);
    if (!kept) return null;
    // Whose queue it is never changes (its organisation and branch are set when it is created).
    if (since !== null && this.recent.since(queueId, since)) return kept.view;
    if (this.now() - kept.at > VIEW_REUSED_FOR_MS) return null;
    const { version } = kept.view.snapshot;
    if (since !== null && since > version) return null;
    return this.recent.since(queueId, version) ? kept.view : null;
  }

  /**
   * The view being fetched when this screen came, once it has arrived, if it can serve the
   * screen as a view fetched moments ago does (see reusable): the deltas heard since the
   * screen's queue was first watched here are kept, so it lacks none of what followed that
   * view. When a node restarts, a queue's screens come back over a second or more, and
   * each turn of the event loop with one of them sent the queues' node another request
   * for the same view while the first was on its way: 491 requests for 100 queues in the
   * first second of the restart benchmark, on the core the screens were waiting for.
   */
  private async arriving(queueId: string, since: number | null): Promise<QueueView | null> {
    const fetching = this.views.inFlight(queueId);
    if (!fetching) return null;
    // Its failure is not this screen's: it asks for a view of its own.
    if (!(await fetching.then(() => true, () => false))) return null;
    return this.reusable(queueId, since);
  }

  /** Asked for after the watcher holds deltas: see shared-requests.ts. */
  private view(queueId: string): Promise<QueueView> {
    return this.views.get(queueId);
  }
}
