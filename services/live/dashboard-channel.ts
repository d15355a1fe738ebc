// `/ws/admin/dashboard`: every organisation's open queues, waiting, serving and alerts, for
// platform admins only; a snapshot first, then each change of the platform's board
// (monitor-boards.ts) as a delta with the organisations it changed and the totals.
import { errors } from "../../mixins/api/errors.ts";
import { mayWatchPlatform } from "./access.ts";
import { BoardChannel, type BoardWatcher } from "./board-channel.ts";
import type { UpgradeRequest } from "./channel.ts";
import { byOrganization, totalsOf } from "./dashboard-figures.ts";
import type { Board, BoardScope } from "./monitor-boards.ts";

const PLATFORM: BoardScope = {
  organizationId: null,
  topic: "dashboard",
  delta: (board, changed, now) => ({
    type: "delta",
    from_version: board.version,
    version: board.version,
    organizations: byOrganization(board.queues.values(), new Set(changed.map((queue) => queue.organization_id))),
    totals: totalsOf(board.queues.values()),
    sent_at: now,
  }),
};

export class DashboardChannel extends BoardChannel {
  readonly name = "admin_dashboard";
  readonly pattern = "/ws/admin/dashboard";

  async admit(request: UpgradeRequest): Promise<BoardWatcher> {
    const viewer = await this.credentials.viewerOf(request);
    if (!mayWatchPlatform(viewer)) throw errors.forbidden("watch the platform's dashboard (platform admins do)");
    return { viewer, board: await this.boards.join(PLATFORM) };
  }

  protected snapshotOf(board: Board): object {
    return { type: "snapshot", version: board.version, organizations: byOrganization(board.queues.values()), totals: totalsOf(board.queues.values()) };
  }
}
