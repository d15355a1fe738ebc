// Finding a business record by id, and who may change it: anyone signed in may read the
// catalogue (citizens browse it), only the platform admin or the organisation's own
// admin may write.
import type { HydratedDocument, Model } from "mongoose";
import type { Context } from "moleculer";
import { currentUser, isAdminOf } from "../../mixins/api/authorize.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import { errors } from "../../mixins/api/errors.ts";
import { isObjectId, withId, type Stored } from "../../mixins/db/wire.ts";
import { emit } from "../events.ts";

/** `what` in lower case, e.g. "branch". */
export async function findOr404<D>(model: Model<D>, id: string, what: string): Promise<HydratedDocument<D>> {
  const doc = isObjectId(id) ? await model.findById(id) : null;
  if (!doc) throw errors.notFound(what[0]!.toUpperCase() + what.slice(1));
  return doc;
}

/** A branch or service, which the caller must administer to change or delete. */
export async function administeredRecord<D extends { organization_id: string }>(
  ctx: Context<unknown, CallMeta>,
  model: Model<D>,
  id: string,
  what: string,
  verb: "change" | "delete",
): Promise<HydratedDocument<D>> {
  const doc = await findOr404(model, id, what);
  checkAdminOf(currentUser(ctx), doc.organization_id, `${verb} this ${what}`);
  return doc;
}

/** Saves, and tells other services (appointments regenerate slots on such changes). */
export async function saveAndAnnounce<D extends { organization_id: string }>(ctx: Context, doc: HydratedDocument<D>, event: "business.branch.changed" | "business.service.changed") {
  const saved = wireOf(await doc.save());
  emit(ctx, event, { id: saved.id, organization_id: saved.organization_id });
  return saved;
}

/** For other services: the record as the API shows it, or null. */
export async function findWire<D extends object>(model: Model<D>, id: string) {
  const doc = isObjectId(id) ? await model.findById(id).lean<Stored<D>>() : null;
  return doc && withId(doc);
}

export function checkAdminOf(actor: AuthUser, organizationId: string, what: string): void {
  if (!isAdminOf(actor, organizationId)) throw errors.forbidden(what);
}

export const toWire = <D extends object>(doc: Stored<D>) => withId(doc);

export const wireOf = <D extends object>(doc: HydratedDocument<D>) => withId(doc.toObject() as Stored<D>);

/** 409 when something still points at the record being deleted. */
export async function refuseIfReferenced(references: Array<[Model<any>, Record<string, unknown>, string]>, what: string): Promise<void> {
  for (const [model, filter, dependents] of references) {
    const count = await model.countDocuments(filter);
    if (count > 0) throw errors.conflict(`This ${what} still has ${count} ${dependents}; delete or move them first.`, { [dependents]: count });
  }
}
