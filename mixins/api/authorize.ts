// Role and tenant checks shared by every service. Foreign resources answer 404 where a
// 403 would confirm that something exists in another organisation.
import type { Context } from "moleculer";
import { errors } from "./errors.ts";
import type { AuthUser, CallMeta, Role } from "./meta.ts";

export function currentUser(ctx: Context<unknown, CallMeta>): AuthUser {
  const user = ctx.meta.user;
  if (!user) throw errors.notAuthenticated();
  return user;
}

/** Everyone who works for an organisation, or for the platform. */
export const STAFF_ROLES = ["agent", "org_admin", "platform_admin"] as const;

export function requireRole(ctx: Context<unknown, CallMeta>, roles: readonly Role[], what?: string): AuthUser {
  const user = currentUser(ctx);
  if (!roles.includes(user.role)) throw errors.forbidden(what);
  return user;
}

export function isPlatformAdmin(user: AuthUser): boolean {
  return user.role === "platform_admin";
}

/** Staff (agent or org admin) of this organisation, or a platform admin. */
export function isStaffOf(user: AuthUser, organizationId: string): boolean {
  return isPlatformAdmin(user) || ((user.role === "agent" || user.role === "org_admin") && user.organization_id === organizationId);
}

export function isAdminOf(user: AuthUser, organizationId: string): boolean {
  return isPlatformAdmin(user) || (user.role === "org_admin" && user.organization_id === organizationId);
}

/** What a list shows this user: everything to the platform admin, a citizen their own
 * records, staff their organisation's. */
export function listScope(user: AuthUser): { user_id: string } | { organization_id: string | null } | Record<string, never> {
  if (isPlatformAdmin(user)) return {};
  return user.role === "citizen" ? { user_id: user.id } : { organization_id: user.organization_id };
}

/**
 * Whose records a staff list read per organisation shows: the staff member's organisation
 * (another one named: nobody's, as for every foreign record); the platform admin names one,
 * else 400.
 */
export function listedOrganization(scope: { organization_id: string | null } | Record<string, never>, asked: string | undefined, what: string): string | null {
  if (!("organization_id" in scope)) {
    if (asked === undefined) throw errors.validation([{ path: "query.organization_id", message: `is required for the platform admin: ${what} are listed per organisation` }]);
    return asked;
  }
  return asked === undefined || asked === scope.organization_id ? scope.organization_id : null;
}
