// `/ws/location/updates/{userId}`: a user's locations as they record them, for that user
// and for the staff of an organisation they share their arrival with (who see only the
// points since they chose to; locations decides, through `locations.locationFeed`). A
// snapshot first, then each point with the user's version; a follower is registered
// before its snapshot is asked for and holds what arrives meanwhile, so nothing recorded
// in between is missed or sent twice. A user has few followers, so points are sent to
// each by hand rather than through a topic. A staff socket ends (4403) once the user no
// longer shares with its organisation.
import { z } from "zod";
import { errors } from "../../mixins/api/errors.ts";
import { ObjectIdString } from "../../mixins/api/schemas.ts";
import { toFieldIssues } from "../../mixins/api/validated.ts";
import type { EventPayload } from "../events.ts";
import { locationAudience, sessionOfViewer, type LocationAudience, type Viewer } from "./access.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Call, Credentials } from "./credentials.ts";
import { errorMessage } from "./messages.ts";
import { LocationClientMessage, type ClientMessage } from "./schemas.ts";
import type { LiveSession } from "./session-sockets.ts";

type Located = EventPayload<"locations.user.located">;

interface Feed {
  version: number;
  points: Array<Located["point"]>;
}

interface Follower {
  userId: string;
  viewer: Viewer;
  audience: LocationAudience;
  peer: Peer | null;
  /** The version the client holds; null until its snapshot has gone out. */
  version: number | null;
  /** Points that arrived before the snapshot went out. */
  held: Located[];
  /** Sent when the socket opens, then let go. */
  first: Feed | null;
}

/** An application close code: what admitted the socket (the user's share) has ended, as a 403 would say. */
export const SHARE_ENDED = 4403;
const NO_SNAPSHOT = 1011;
const Params = z.object({ user_id: ObjectIdString });

export class LocationChannel implements Channel<Follower, ClientMessage> {
  readonly name = "location";
  readonly pattern = "/ws/location/updates/:userId";
  readonly messages = LocationClientMessage;
  private readonly followers = new Map<string, Set<Follower>>();

  constructor(
    private readonly credentials: Credentials,
    private readonly call: Call,
  ) {}

  async admit(request: UpgradeRequest): Promise<Follower> {
    const params = Params.safeParse({ user_id: request.params[0] });
    if (!params.success) throw errors.validation(toFieldIssues(params.error));
    const userId = params.data.user_id;
    const viewer = await this.credentials.viewerOf(request);
    const audience = locationAudience(viewer, userId);
    if (!audience) throw errors.forbidden("follow another user's locations");
    const follower: Follower = { userId, viewer, audience, peer: null, version: null, held: [], first: null };
    this.join(follower);
    try {
      follower.first = await this.feed(follower);
      return follower;
    } catch (err) {
      this.leave(follower);
      throw err;
    }
  }

  sessionOf({ viewer }: Follower): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon(follower: Follower): void {
    this.leave(follower);
  }

  open(peer: Peer, follower: Follower): void {
    follower.peer = peer;
    this.sendSnapshot(follower, follower.first!);
    follower.first = null;
  }

  receive(peer: Peer, follower: Follower): void {
    // A re-sync is the only request left once pings are answered.
    if (follower.version === null) return;
    follower.version = null;
    this.feed(follower).then(
      (feed) => this.sendSnapshot(follower, feed),
      (err) => {
        peer.send(errorMessage(err));
        peer.end(NO_SNAPSHOT, "no snapshot");
      },
    );
  }

  close(follower: Follower): void {
    this.leave(follower);
  }

  /** A point some node recorded: to the followers of its user held here. */
  deliver(located: Located): void {
    for (const follower of this.followers.get(located.user_id) ?? []) this.feedOne(follower, located);
  }

  private feedOne(follower: Follower, located: Located): void {
    if (follower.version === null) return void follower.held.push(located);
    const { audience, peer } = follower;
    if (audience.kind === "staff" && !located.shared_with.includes(audience.organization_id)) return peer?.end(SHARE_ENDED, "no longer shared");
    if (located.version <= follower.version) return;
    follower.version = located.version;
    peer?.send({ type: "location", user_id: located.user_id, version: located.version, point: located.point });
  }

  private sendSnapshot(follower: Follower, feed: Feed): void {
    if (!follower.peer || follower.peer.closed) return;
    follower.peer.send({ type: "snapshot", user_id: follower.userId, version: feed.version, points: feed.points });
    follower.version = feed.version;
    const held = follower.held;
    follower.held = [];
    for (const located of held) this.feedOne(follower, located);
  }

  private feed({ userId, audience }: Follower): Promise<Feed> {
    return this.call<Feed>("locations.locationFeed", audience.kind === "self" ? { user_id: userId } : { user_id: userId, organization_id: audience.organization_id });
  }

  private join(follower: Follower): void {
    let set = this.followers.get(follower.userId);
    if (!set) this.followers.set(follower.userId, (set = new Set()));
    set.add(follower);
  }

  private leave(follower: Follower): void {
    const set = this.followers.get(follower.userId);
    set?.delete(follower);
    if (set?.size === 0) this.followers.delete(follower.userId);
  }
}
