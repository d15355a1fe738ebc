// `/ws/notifications/user/{userId}`: what concerns one citizen's tickets, on every queue:
// "you are called" (or called again) with the counter to go to, and "your turn is near".
// One topic per user, so each of their devices gets it through native fan-out.
import { errors } from "../../mixins/api/errors.ts";
import { mayReadNotifications, sessionOfViewer, type Viewer } from "./access.ts";
import type { LiveSession } from "./session-sockets.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Credentials } from "./credentials.ts";
import type { QueueChanged } from "../events.ts";
import { NotificationClientMessage } from "./schemas.ts";
import { TurnNearTracker } from "../../actors/host/turn-near.ts";

const CALLS = new Set(["ticket.called", "ticket.recalled"]);

interface Reader {
  userId: string;
  viewer: Viewer;
}

export const userTopic = (userId: string) => `user/${userId}`;

export class NotificationChannel implements Channel<Reader> {
  readonly name = "notifications";
  readonly pattern = "/ws/notifications/user/:userId";
  readonly messages = NotificationClientMessage;
  private readonly turnNear: TurnNearTracker;

  constructor(
    private readonly credentials: Credentials,
    private readonly publish: (topic: string, message: object) => void,
    turnNearPosition: number,
  ) {
    this.turnNear = new TurnNearTracker(turnNearPosition);
  }

  async admit(request: UpgradeRequest): Promise<Reader> {
    const [userId] = request.params;
    const viewer = await this.credentials.viewerOf(request);
    if (!mayReadNotifications(viewer, userId)) throw errors.forbidden("read another user's notifications");
    return { userId, viewer };
  }

  sessionOf({ viewer }: Reader): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon(): void {}

  open(peer: Peer, { userId }: Reader): void {
    peer.subscribe(userTopic(userId));
  }

  close(): void {}

  /** Every change, watched or not: the memory of positions told must follow every queue. */
  deliver(change: QueueChanged): void {
    for (const event of change.events) {
      const userId = event.ticket?.user_id;
      if (userId && CALLS.has(event.type)) {
        this.publish(userTopic(userId), { type: event.type, ticket: event.ticket, counter_name: event.counter_name });
      }
    }
    // The live channel is the app: a citizen who chose other channels only is not told here.
    for (const { user_id, message, preference } of this.turnNear.observe(change)) {
      if (!preference || preference.channels.includes("in_app")) this.publish(userTopic(user_id), message);
    }
  }
}
