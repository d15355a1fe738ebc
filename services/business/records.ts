// Who may change a business record: anyone signed in may read the catalogue (citizens
// browse it), only the platform admin or the organisation's own admin may write.
import type { Context } from "moleculer";
import { currentUser, isAdminOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";

export function checkAdminOf(actor: AuthUser, organizationId: string, what: string): void {
  if (!isAdminOf(actor, organizationId)) throw errors.forbidden(what);
}

/** A branch or service, which the caller must administer to change or delete. */
export function checkAdministered<D extends { organization_id: string }>(ctx: Context<unknown, CallMeta>, doc: D, what: string, verb: "change" | "delete"): D {
  checkAdminOf(currentUser(ctx), doc.organization_id, `${verb} this ${what}`);
  return doc;
}

/** 409 when something still points at the record being deleted: [count, what they are]. */
export function refuseIfReferenced(references: Array<[number, string]>, what: string): void {
  for (const [count, dependents] of references) {
    if (count > 0) throw errors.conflict(`This ${what} still has ${count} ${dependents}; delete or move them first.`, { [dependents]: count });
  }
}

/** The organisation a new record is for: must exist, and the caller must administer it. */
export async function checkAdministeredOrganization(ctx: Context<unknown, CallMeta>, organizationId: string, what: string): Promise<void> {
  checkAdminOf(currentUser(ctx), organizationId, what);
  if (!(await ctx.call<boolean, { id: string }>("business.organizations.exists", { id: organizationId }))) {
    throw errors.validation([{ path: "body.organization_id", message: "no such organisation" }]);
  }
}
