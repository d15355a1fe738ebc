// Loading a queue for a caller: anyone signed in may look at a queue (citizens pick one
// to join); staff of its organisation operate it; its org admin (or a platform admin)
// configures it.
import type { HydratedDocument } from "mongoose";
import { isAdminOf, isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import { isObjectId, withId, type Stored } from "../../mixins/db/wire.ts";
import type { QueueInfo } from "../../actors/host/host.ts";
import { mergePolicy } from "./policy.ts";
import type { QueueCache } from "./queue-cache.ts";
import type { QueueDoc, QueuesStore } from "./store.ts";

export function queueInfoOf(doc: HydratedDocument<QueueDoc> | Stored<QueueDoc>): QueueInfo {
  return {
    id: String(doc._id),
    organization_id: doc.organization_id,
    branch_id: doc.branch_id,
    policy: mergePolicy(doc.policy ?? {}, { prefix: doc.prefix }),
  };
}

/** Queues stored before `opening` existed open by themselves, as new ones do by default. */
export const queueToWire = (doc: Stored<QueueDoc>) => withId({ ...doc, opening: doc.opening ?? "automatic" });

/** For reading: possibly a few seconds old (see queue-cache.ts). */
export async function findQueue(queues: QueueCache, id: string): Promise<Stored<QueueDoc>> {
  const doc = await queues.get(id);
  if (!doc) throw errors.notFound("Queue");
  return doc;
}

export async function operatedQueue(queues: QueueCache, user: AuthUser, id: string, what: string): Promise<Stored<QueueDoc>> {
  const doc = await findQueue(queues, id);
  if (!isStaffOf(user, doc.organization_id)) throw errors.forbidden(what);
  return doc;
}

/** For changing: read from MongoDB. */
export async function administeredQueue(store: QueuesStore, user: AuthUser, id: string, what: string): Promise<HydratedDocument<QueueDoc>> {
  const doc = isObjectId(id) ? await store.queues.findById(id) : null;
  if (!doc) throw errors.notFound("Queue");
  if (!isAdminOf(user, doc.organization_id)) throw errors.forbidden(what);
  return doc;
}
