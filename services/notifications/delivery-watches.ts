// The watch over a delivery's first attempt: a row noted before the attempt is made and
// deleted once the delivery is settled. A node that dies during the attempt leaves its
// row, which a sweep finds when it comes due; the delivery is then attempted again
// (attempt 2, made once across nodes: delivery.ts). A row is two writes per message. The
// watch was a call of attempt 2 entered in the scheduler, which for every SMS, sent at
// once or not, cost two writes when entered and five reads and writes when due (the
// timetable's read, the key's, the run's claim and its end, the delivery's), and kept
// every minute of an office day holding calls the scheduler read each second.
//
// A row's _id is `<due instant in ms, 15 digits>#<delivery>`: the due rows are the _ids
// below the present's. Rows live while their attempt is in flight, or until the sweep
// after a node died, so the collection stays small.
import { Schema, type Model } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { deleteByIdGrouped } from "../../mixins/db/delete-by-ids.ts";

export interface WatchDoc {
  _id: string;
}

export const watchSchema = new Schema<WatchDoc>({ _id: String }, { collection: "notification_watches", versionKey: false });

const DUE_DIGITS = 15;
/** Rows attempted again per sweep: more wait for the next one. */
const SWEEP_BATCH = 100;

export const watchId = (dueAt: number, deliveryId: string) => `${String(dueAt).padStart(DUE_DIGITS, "0")}#${deliveryId}`;
const deliveryOf = (id: string) => id.slice(DUE_DIGITS + 1);

/** Notes the watch over a delivery's first attempt, due at `dueAt`; answers its row's id. */
export async function watchFirstAttempt(watches: Model<WatchDoc>, deliveryId: string, dueAt: number): Promise<string> {
  const id = watchId(dueAt, deliveryId);
  await claimOnce(watches, id);
  return id;
}

/** Ends a watch whose delivery is settled (sent, failed, or its retry scheduled); grouped
 * with the other watches ended meanwhile. */
export const endWatch = (watches: Model<WatchDoc>, id: string): Promise<void> => deleteByIdGrouped(watches, id);

/**
 * Attempts again the deliveries whose watch came due by `now` (a node died during their
 * first attempt, or before it ended the watch), and ends each watch once that is done; a
 * watch whose attempt failed to be made stays for the next sweep. Answers how many came due.
 */
export async function sweepDueWatches(
  watches: Model<WatchDoc>,
  now: number,
  attemptAgain: (deliveryId: string) => Promise<unknown>,
  failed: (deliveryId: string, err: unknown) => void,
): Promise<number> {
  const due = await watches.find({ _id: { $lt: watchId(now, "") } }).limit(SWEEP_BATCH).lean<WatchDoc[]>();
  for (const { _id } of due) {
    try {
      await attemptAgain(deliveryOf(_id));
      await endWatch(watches, _id);
    } catch (err) {
      failed(deliveryOf(_id), err);
    }
  }
  return due.length;
}
