// Who reads which figures. Analytics is for an organisation's staff (its agents and
// admins) and the platform admin; citizens are refused. Another organisation, or its
// queue or branch, is reported as missing, not as forbidden. An agent's figures are read
// from the series counted in the caller's organisation only (scopes.ts): another
// organisation's agent shows nothing.
import { isPlatformAdmin, isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { ScopeQuery } from "./schemas.ts";
import type { Scope } from "./scopes.ts";

/** How a scope's organisation, queue or branch is found (through their services): null when there is none. */
export interface ScopeLookups {
  organization(id: string): Promise<object | null>;
  queue(id: string): Promise<{ organization_id: string } | null>;
  branch(id: string): Promise<{ organization_id: string } | null>;
}

function staffOnly(user: AuthUser): void {
  if (user.role === "citizen") throw errors.forbidden("read analytics (the organisation's staff do)");
}

/** The organisation whose figures the caller reads: their own, or for the platform admin the one named (404 when there is none). */
export async function organizationInScope(user: AuthUser, requested: string | undefined, find: ScopeLookups): Promise<string> {
  staffOnly(user);
  if (isPlatformAdmin(user)) {
    if (!requested) throw errors.validation([{ path: "query.organization_id", message: "is required for the platform admin" }]);
    if (!(await find.organization(requested))) throw errors.notFound("Organization");
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

/** The scope a query names, if the caller may read it. */
export async function scopeInScope(user: AuthUser, query: ScopeQuery, find: ScopeLookups): Promise<Scope> {
  staffOnly(user);
  if (query.queue_id) {
    const { organization_id } = queueInScope(user, await find.queue(query.queue_id));
    if (query.organization_id && query.organization_id !== organization_id) throw errors.notFound("Queue");
    if (query.counter_id) return { kind: "counter", organization_id, queue_id: query.queue_id, counter_id: query.counter_id };
    return { kind: "queue", organization_id, queue_id: query.queue_id };
  }
  const organization_id = await organizationInScope(user, query.organization_id, find);
  if (query.branch_id) {
    const branch = await find.branch(query.branch_id);
    if (!branch || branch.organization_id !== organization_id) throw errors.notFound("Branch");
    return { kind: "branch", organization_id, branch_id: query.branch_id };
  }
  if (query.agent_id) return { kind: "agent", organization_id, agent_id: query.agent_id };
  return { kind: "organization", organization_id };
}
