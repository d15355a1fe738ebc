// `/ws/tracker/{code}`: a ticket followed without an account (services/queues/trackers.ts),
// the citizen's phone on /t/{code}. Nobody signs in: the code is the key. First what the
// tracker shows (number, place, wait, the counter once called), then the same again each
// time a change of its queue changes it. A queue's deltas never travel here: they name
// other citizens' tickets. A change is read once per tracked ticket, however many changes
// came meanwhile, and the socket closes (1000) once its ticket has ended.
import type { LoggerInstance } from "moleculer";
import type { LiveSession } from "./session-sockets.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Call } from "./credentials.ts";
import { NotificationClientMessage } from "./schemas.ts";

interface TrackedView {
  queue_id: string;
  ticket: { status: string };
}

interface Follower {
  code: string;
  queueId: string;
  /** What was sent last, as sent: a change that leaves it as it was sends nothing. */
  shown: string;
  peer: Peer | null;
}

const OPEN = new Set(["waiting", "called", "serving"]);
const ENDED = 1000;
const NO_SESSION: LiveSession = { keys: [], expiresAt: null };

export class TrackerChannel implements Channel<Follower> {
  readonly name = "tracker";
  readonly pattern = "/ws/tracker/:code";
  readonly messages = NotificationClientMessage;
  private readonly byQueue = new Map<string, Set<Follower>>();
  /** Queues being read again, and whether another change came meanwhile. */
  private readonly reading = new Map<string, boolean>();

  constructor(
    private readonly call: Call,
    private readonly logger: LoggerInstance,
  ) {}

  async admit(request: UpgradeRequest): Promise<Follower> {
    const [code] = request.params;
    const view = await this.call<TrackedView>("queues.trackers.follow", { code });
    return { code, queueId: view.queue_id, shown: JSON.stringify(view.ticket), peer: null };
  }

  sessionOf(): LiveSession {
    return NO_SESSION;
  }

  abandon(): void {}

  open(peer: Peer, follower: Follower): void {
    follower.peer = peer;
    this.join(follower);
    peer.send({ type: "tracked", ticket: JSON.parse(follower.shown) });
  }

  close(follower: Follower): void {
    this.leave(follower);
  }

  /** A change of this queue: its followers' tickets are read again, once at a time. */
  changed(queueId: string): void {
    if (!this.byQueue.has(queueId)) return;
    if (this.reading.has(queueId)) {
      this.reading.set(queueId, true);
      return;
    }
    this.reading.set(queueId, false);
    void this.readAgain(queueId);
  }

  private async readAgain(queueId: string): Promise<void> {
    do {
      this.reading.set(queueId, false);
      await Promise.all([...(this.byQueue.get(queueId) ?? [])].map((follower) => this.refresh(follower)));
    } while (this.reading.get(queueId));
    this.reading.delete(queueId);
  }

  private async refresh(follower: Follower): Promise<void> {
    try {
      const view = await this.call<TrackedView>("queues.trackers.follow", { code: follower.code });
      if (view.queue_id !== follower.queueId) {
        // Transferred: it now moves with its new queue.
        this.leave(follower);
        follower.queueId = view.queue_id;
        this.join(follower);
      }
      const shown = JSON.stringify(view.ticket);
      if (shown !== follower.shown) {
        follower.shown = shown;
        follower.peer?.send({ type: "tracked", ticket: view.ticket });
      }
      if (!OPEN.has(view.ticket.status)) follower.peer?.end(ENDED, "the ticket has ended");
    } catch (err) {
      this.logger.warn({ queue_id: follower.queueId, err }, "live: a tracked ticket could not be read again");
    }
  }

  private join(follower: Follower): void {
    const followers = this.byQueue.get(follower.queueId) ?? new Set();
    followers.add(follower);
    this.byQueue.set(follower.queueId, followers);
  }

  private leave(follower: Follower): void {
    const followers = this.byQueue.get(follower.queueId);
    followers?.delete(follower);
    if (followers?.size === 0) this.byQueue.delete(follower.queueId);
  }
}
