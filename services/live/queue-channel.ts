// `/ws/queue/{queueId}`: a snapshot first, then every change as a delta. The snapshot
// asked for at admission serves twice: it says whose queue it is (for authorisation) and
// it is what the client sees first.
import type { LoggerInstance } from "moleculer";
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { errors } from "../../mixins/api/errors.ts";
import { mayWatchQueue, sessionOfViewer, type QueueOwner, type Viewer } from "./access.ts";
import type { LiveSession } from "./session-sockets.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import { viewerOf, type Call } from "./credentials.ts";
import { errorMessage, failureOf, snapshotMessage } from "./messages.ts";
import type { QueueFeeds, Watcher } from "./queue-feeds.ts";
import { QueueClientMessage, type ClientMessage } from "./schemas.ts";
import { SharedRequests } from "./shared-requests.ts";

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
  /** A re-sync is under way: further requests for one are redundant. */
  resyncing: boolean;
}

/** The socket is of no use without a snapshot: the client reconnects, maybe to another node. */
const SNAPSHOT_FAILED = 1011;

export class QueueChannel implements Channel<Admitted, ClientMessage> {
  readonly name = "queue";
  readonly pattern = "/ws/queue/:queueId";
  readonly messages = QueueClientMessage;
  private readonly views: SharedRequests<QueueView>;

  constructor(
    private readonly call: Call,
    private readonly feeds: QueueFeeds,
    private readonly logger: LoggerInstance,
  ) {
    this.views = new SharedRequests((queueId) => this.call<QueueView>("queues.snapshot", { queue_id: queueId }));
  }

  async admit(request: UpgradeRequest): Promise<Admitted> {
    const [queueId] = request.params;
    const viewer = await viewerOf(this.call, request);
    // Joined before the snapshot is asked for, so no delta published meanwhile is missed.
    const watcher = this.feeds.join(queueId);
    try {
      const { queue, snapshot } = await this.view(queueId);
      if (!mayWatchQueue(viewer, queue)) throw errors.forbidden("watch this queue");
      return { viewer, watcher, first: snapshot, name: queue.name, resyncing: false };
    } catch (err) {
      this.feeds.leave(watcher);
      throw err;
    }
  }

  sessionOf({ viewer }: Admitted): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon({ watcher }: Admitted): void {
    this.feeds.leave(watcher);
  }

  open(peer: Peer, admitted: Admitted): void {
    admitted.watcher.peer = peer;
    this.sendSnapshot(peer, admitted, admitted.first!);
    admitted.first = null;
  }

  receive(peer: Peer, admitted: Admitted): void {
    // The only message left once pings are answered is a request to re-sync.
    if (!admitted.resyncing) void this.resync(peer, admitted);
  }

  close({ watcher }: Admitted): void {
    this.feeds.leave(watcher);
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
  }

  private sendSnapshot(peer: Peer, { watcher, name }: Admitted, snapshot: QueueSnapshot): void {
    peer.batch(() => {
      peer.send(snapshotMessage(watcher.queueId, name, snapshot));
      this.feeds.synced(watcher, snapshot.version);
    });
  }

  /** Asked for after the watcher holds deltas: see shared-requests.ts. */
  private view(queueId: string): Promise<QueueView> {
    return this.views.get(queueId);
  }
}
