// A user's in-app notifications: the app's inbox. Each is kept under the user's prefix
// (mixins/db/owner-prefix.ts), `<length>:<user>:<once id>`, the once id made of the
// request's idempotency key as before, so that a repeat still finds the one it made. The
// inbox is read, and marked read, by that range of _ids: the user's own notifications,
// however many the office has sent. Read by user_id, the embedded server scanned every
// notification of every user: a first page took 1.7 s beside 10,000 other notifications
// and 5.3 s beside 30,000 (load-tests/inbox.ts).
import type { Model } from "mongoose";
import { claimEach } from "../../mixins/db/claim.ts";
import { deleteByIds } from "../../mixins/db/delete-by-ids.ts";
import { inBatches } from "../../mixins/db/in-batches.ts";
import { ofOwner, ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { onceId } from "./delivery.ts";
import type { NotificationDoc } from "./store.ts";

/** The notification that one request (its idempotency key) makes for the user. */
export const inboxId = (userId: string, idempotencyKey: string) => `${ownerPrefix(userId)}${onceId("in_app", userId, idempotencyKey)}`;

/** Every notification of the user, in no particular order. */
export const inboxOf = (notifications: Model<NotificationDoc>, userId: string) => notifications.find(ofOwner(userId)).lean<NotificationDoc[]>();

/**
 * Marks each unread notification of the user read, by its _id alone; answers how many it
 * marked. FerretDB pushes a filter down only when `_id` is all of it: with `read_at: null`
 * beside it, each update scanned the collection (20 took 9 s among 30,000 notifications,
 * 13 ms by _id alone). One read at the same moment by another call may so be marked twice,
 * a moment apart.
 */
export async function markInboxRead(notifications: Model<NotificationDoc>, userId: string, at: Date): Promise<number> {
  const unread = (await inboxOf(notifications, userId)).filter((doc) => doc.read_at === null);
  if (!unread.length) return 0;
  const marks = unread.map((doc) => ({ updateOne: { filter: { _id: doc._id }, update: { $set: { read_at: at } } } }));
  return (await notifications.bulkWrite(marks, { ordered: false })).modifiedCount;
}

/**
 * Moves notifications written before the inbox was kept by user (their _id the once id
 * alone) under their user's prefix, keeping the once id: a repeat of their request then
 * finds them, as before. A batch is copied, then its originals deleted by _id; safe to run
 * again, and beside running nodes. Counts the notifications moved.
 */
export async function adoptLegacyInbox(notifications: Model<NotificationDoc>, onBatch?: (moved: number) => void): Promise<number> {
  const move = async (batch: NotificationDoc[]) => {
    await claimEach(notifications, batch.map((doc) => ({ ...doc, _id: `${ownerPrefix(doc.user_id)}${doc._id}` }))); // one copied by an earlier run stays
    await deleteByIds(notifications, batch.map((doc) => doc._id));
  };
  // Once only, so a scan: every _id that does not start with a length and a colon.
  return inBatches(notifications.find({ _id: { $not: /^\d+:/ } }).lean<NotificationDoc>().cursor(), LEGACY_BATCH, move, onBatch);
}

const LEGACY_BATCH = 500;
