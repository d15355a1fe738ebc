// Who may take which ticket in a queue: the rule behind POST /api/queues/tickets/.
// Staff of the queue's organisation issue for the counter or the kiosk, for any priority
// class and on behalf of a citizen; a citizen takes their own ticket, from their phone by
// default, in a class a citizen may claim; anyone else (another organisation's staff) none.
// A ticket may carry its citizen's own "turn near"; one for nobody cannot.
import { isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { Channel, NearPreference, PriorityClass } from "../../actors/queue/index.ts";

/** The classes a citizen may claim for themselves; the others (e.g. VIP) staff give. */
const CITIZEN_PRIORITIES: ReadonlySet<string> = new Set(["normal", "elderly", "pregnant", "disabled"]);

export interface TicketRequest {
  channel?: Channel;
  priority?: PriorityClass;
  /** The citizen a staff member issues for. */
  user_id?: string | null;
  notify_near?: NearPreference;
}

/** What the queue's actor is asked to issue. */
export interface IssueFields {
  channel: Channel;
  priority: PriorityClass;
  user_id: string | null;
  notify_near: NearPreference | null;
}

export function issueFields(user: AuthUser, queue: { organization_id: string; is_active: boolean }, request: TicketRequest): IssueFields {
  if (!queue.is_active) throw errors.queueRule("queue_inactive", "This queue is not taking tickets.");
  const staff = isStaffOf(user, queue.organization_id);
  if (!staff && user.role !== "citizen") throw errors.forbidden("issue tickets in another organisation's queue");
  if (!staff && (request.user_id !== undefined || (request.priority && !CITIZEN_PRIORITIES.has(request.priority)))) {
    throw errors.forbidden("issue this kind of ticket");
  }
  const userId = staff ? (request.user_id ?? null) : user.id;
  if (request.notify_near && !userId) {
    throw errors.validation([{ path: "body.notify_near", message: "a ticket for nobody in particular has nobody to tell; name the citizen (user_id)" }]);
  }
  return {
    channel: request.channel ?? (staff ? "agent" : "mobile"),
    priority: request.priority ?? "normal",
    user_id: userId,
    notify_near: request.notify_near ?? null,
  };
}
