// `/ws/org/{organizationId}/monitor`: an organisation's queues for its staff — counters,
// waiting, estimated waits, alerts — a snapshot first, then each change of its board
// (monitor-boards.ts) as a delta with the queues it changed.
import { z } from "zod";
import { errors } from "../../mixins/api/errors.ts";
import { ObjectIdString } from "../../mixins/api/schemas.ts";
import { toFieldIssues } from "../../mixins/api/validated.ts";
import { organizationMonitorAccess } from "./access.ts";
import { BoardChannel, type BoardWatcher } from "./board-channel.ts";
import type { UpgradeRequest } from "./channel.ts";
import type { Call, Credentials } from "./credentials.ts";
import type { Board, BoardScope, MonitorBoards } from "./monitor-boards.ts";
import type { QueueSummary } from "./monitor-summary.ts";

const Params = z.object({ organization_id: ObjectIdString });

const byName = (a: QueueSummary, b: QueueSummary) => a.name.localeCompare(b.name) || a.queue_id.localeCompare(b.queue_id);

function orgScope(organizationId: string): BoardScope {
  return {
    organizationId,
    topic: `monitor/${organizationId}`,
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

export class OrgMonitorChannel extends BoardChannel {
  readonly name = "org_monitor";
  readonly pattern = "/ws/org/:organizationId/monitor";

  constructor(
    credentials: Credentials,
    private readonly call: Call,
    boards: MonitorBoards,
  ) {
    super(credentials, boards);
  }

  async admit(request: UpgradeRequest): Promise<BoardWatcher> {
    const params = Params.safeParse({ organization_id: request.params[0] });
    if (!params.success) throw errors.validation(toFieldIssues(params.error));
    const organizationId = params.data.organization_id;
    const viewer = await this.credentials.viewerOf(request);
    const access = organizationMonitorAccess(viewer, organizationId);
    if (access === "forbidden") throw errors.forbidden("monitor this organisation (its staff do)");
    if (access === "unknown" || !(await this.call<boolean>("business.organizations.exists", { id: organizationId }))) {
      throw errors.notFound("Organization");
    }
    return { viewer, board: await this.boards.join(orgScope(organizationId)) };
  }

  protected snapshotOf(board: Board): object {
    return { type: "snapshot", organization_id: board.scope.organizationId, version: board.version, queues: [...board.queues.values()].sort(byName) };
  }
}
