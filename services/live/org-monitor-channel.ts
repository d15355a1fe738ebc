// `/ws/org/{organizationId}/monitor`: an organisation's queues for its staff — counters,
// waiting, estimated waits, alerts — a snapshot first, then each change of its board
// (monitor-boards.ts) as a delta. The snapshot is sent and the socket subscribed in the
// same turn as the board's version is read, so no delta falls between them.
import { z } from "zod";
import { errors } from "../../mixins/api/errors.ts";
import { ObjectIdString } from "../../mixins/api/schemas.ts";
import { toFieldIssues } from "../../mixins/api/validated.ts";
import { organizationMonitorAccess, sessionOfViewer, type Viewer } from "./access.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import { viewerOf, type Call } from "./credentials.ts";
import type { Board, BoardScope, MonitorBoards } from "./monitor-boards.ts";
import type { QueueSummary } from "./monitor-summary.ts";
// A monitor, like a queue watcher, may ask for a fresh snapshot when it sees a gap.
import { QueueClientMessage, type ClientMessage } from "./schemas.ts";
import type { LiveSession } from "./session-sockets.ts";

interface Admitted {
  viewer: Viewer;
  board: Board;
}

const Params = z.object({ organization_id: ObjectIdString });

const byName = (a: QueueSummary, b: QueueSummary) => a.name.localeCompare(b.name) || a.queue_id.localeCompare(b.queue_id);

export const orgMonitorTopic = (organizationId: string) => `monitor/${organizationId}`;

function orgScope(organizationId: string): BoardScope {
  return {
    organizationId,
    topic: orgMonitorTopic(organizationId),
    delta: (board, changed, now) => ({
      type: "delta",
      organization_id: organizationId,
      from_version: board.version,
      version: board.version,
      queues: changed,
      sent_at: now,
    }),
  };
}

export class OrgMonitorChannel implements Channel<Admitted, ClientMessage> {
  readonly name = "org_monitor";
  readonly pattern = "/ws/org/:organizationId/monitor";
  readonly messages = QueueClientMessage;

  constructor(
    private readonly call: Call,
    private readonly boards: MonitorBoards,
  ) {}

  async admit(request: UpgradeRequest): Promise<Admitted> {
    const params = Params.safeParse({ organization_id: request.params[0] });
    if (!params.success) throw errors.validation(toFieldIssues(params.error));
    const organizationId = params.data.organization_id;
    const viewer = await viewerOf(this.call, request);
    const access = organizationMonitorAccess(viewer, organizationId);
    if (access === "forbidden") throw errors.forbidden("monitor this organisation (its staff do)");
    if (access === "unknown" || !(await this.call<boolean>("business.organizations.exists", { id: organizationId }))) {
      throw errors.notFound("Organization");
    }
    return { viewer, board: await this.boards.join(orgScope(organizationId)) };
  }

  sessionOf({ viewer }: Admitted): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon({ board }: Admitted): void {
    this.boards.leave(board);
  }

  open(peer: Peer, { board }: Admitted): void {
    peer.batch(() => {
      this.sendSnapshot(peer, board);
      peer.subscribe(board.scope.topic);
    });
  }

  /** The only message left once pings are answered is a request to re-sync. */
  receive(peer: Peer, { board }: Admitted): void {
    this.sendSnapshot(peer, board);
  }

  close({ board }: Admitted): void {
    this.boards.leave(board);
  }

  private sendSnapshot(peer: Peer, board: Board): void {
    peer.send({ type: "snapshot", organization_id: board.scope.organizationId, version: board.version, queues: [...board.queues.values()].sort(byName) });
  }
}
