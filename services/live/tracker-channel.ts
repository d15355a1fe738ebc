// `/ws/tracker/{code}`: a ticket followed without an account (services/queues/trackers.ts),
// the citizen's phone on /t/{code}. Nobody signs in: the code is the key. First what the
// tracker shows (number, place, wait, the counter once called), then the same again each
// time a change of its queue changes it. A queue's deltas never travel here: they name
// other citizens' tickets. A change is read once per tracked ticket, however many changes
// came meanwhile, from the queue's owner (no database read while the ticket is open), and
// the socket closes (1000) once its ticket has ended.
import type { LoggerInstance } from "moleculer";
import type { LiveSession } from "./session-sockets.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Call } from "./credentials.ts";
import { NotificationClientMessage } from "./schemas.ts";
import type { QueueChanged } from "../events.ts";

/** What queues.trackers.follow answers: the queue and ticket ids stay here, only `ticket` goes out. */
interface TrackedView {
  queue_id: string;
  ticket_id: string;
  ticket: { status: string };
}

interface Follower {
  code: string;
  ticketId: string;
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
    return { code, ticketId: view.ticket_id, queueId: view.queue_id, shown: JSON.stringify(view.ticket), peer: null };
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

  /** A change of a queue: its followers' tickets are read again, once at a time; one sent away is followed to its new queue. */
  changed(change: QueueChanged): void {
    const queueId = change.queue_id;
    if (!this.byQueue.has(queueId)) return;
    for (const event of change.events) {
      if (event.type !== "ticket.transferred_out" || typeof event.to_queue_id !== "string") continue;
      for (const follower of [...this.byQueue.get(queueId)!]) {
        if (follower.ticketId !== event.ticket?.id) continue;
        this.move(follower, event.to_queue_id);
        this.readSoon(event.to_queue_id);
      }
    }
    this.readSoon(queueId);
  }

  private readSoon(queueId: string): void {
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
      const view = await this.call<TrackedView>("queues.trackers.follow", { code: follower.code, queue_id: follower.queueId });
      if (!follower.peer || follower.peer.closed) return; // gone meanwhile: it left its queue's followers
      // Between two queues: what the citizen sees next is its place in the new one.
      if (view.ticket.status === "transferred") return;
      if (view.queue_id !== follower.queueId) this.move(follower, view.queue_id);
      const shown = JSON.stringify(view.ticket);
      if (shown !== follower.shown) {
        follower.shown = shown;
        follower.peer.send({ type: "tracked", ticket: view.ticket });
      }
      if (!OPEN.has(view.ticket.status)) follower.peer.end(ENDED, "the ticket has ended");
    } catch (err) {
      this.logger.warn({ queue_id: follower.queueId, err }, "live: a tracked ticket could not be read again");
    }
  }

  private move(follower: Follower, queueId: string): void {
    this.leave(follower);
    follower.queueId = queueId;
    this.join(follower);
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
