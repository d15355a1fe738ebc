// Who reads which figures. Analytics is for an organisation's staff (its agents and
// admins) and the platform admin; citizens are refused. Another organisation, or its
// queue, is reported as missing, not as forbidden.
import { isPlatformAdmin, isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";

function staffOnly(user: AuthUser): void {
  if (user.role === "citizen") throw errors.forbidden("read analytics (the organisation's staff do)");
}

/** The organisation whose figures the caller reads: their own, or for the platform admin the one named. */
export function organizationInScope(user: AuthUser, requested: string | undefined): string {
  staffOnly(user);
  if (isPlatformAdmin(user)) {
    if (!requested) throw errors.validation([{ path: "query.organization_id", message: "is required for the platform admin" }]);
    return requested;
  }
  if (!user.organization_id || (requested && requested !== user.organization_id)) throw errors.notFound("Organization");
  return user.organization_id;
}

/** A queue the caller may read the figures of, or 404. */
export function queueInScope<Q extends { organization_id: string }>(user: AuthUser, queue: Q | null): Q {
  staffOnly(user);
  if (!queue || !isStaffOf(user, queue.organization_id)) throw errors.notFound("Queue");
  return queue;
}
