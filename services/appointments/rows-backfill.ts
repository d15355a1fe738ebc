// The rows an appointment gets when it is booked (its citizen's, citizen-appointments.ts;
// the sweep's while it is open, open-appointments.ts), written for the appointments of a
// database from before they were kept (`npm run backfill:appointment-rows`). One pass over
// the appointments, in batches; safe to run again, and beside running nodes.
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { OPEN_STATUSES, openRowId } from "./open-appointments.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

const BATCH = 500;

type Read = Pick<AppointmentDoc, "_id" | "user_id" | "status" | "starts_at">;

/** Counts the appointments read. */
export async function backfillAppointmentRows(store: AppointmentsStore, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  let batch: Read[] = [];
  const write = async () => {
    const open = batch.filter((doc) => OPEN_STATUSES.has(doc.status));
    await Promise.all([
      insertNew(store.citizenAppointments, batch.map((doc) => ({ _id: `${ownerPrefix(doc.user_id)}${doc._id}` }))),
      insertNew(store.openAppointments, open.map((doc) => ({ _id: openRowId(doc.starts_at, doc._id) }))),
    ]);
    done += batch.length;
    batch = [];
    onBatch?.(done);
  };
  for await (const doc of store.appointments.find({}, { user_id: 1, status: 1, starts_at: 1 }).lean<Read>().cursor()) {
    batch.push(doc);
    if (batch.length === BATCH) await write();
  }
  if (batch.length) await write();
  return done;
}

/** Rows already there (written at booking, or by an earlier run) are left as they are. */
async function insertNew(rows: AppointmentsStore["openAppointments"], docs: Array<{ _id: string }>): Promise<void> {
  if (!docs.length) return;
  await rows.collection.insertMany(docs as never[], { ordered: false }).catch((err: { writeErrors?: Array<{ code?: number }> }) => {
    if (!err.writeErrors?.every((e) => e.code === 11000)) throw err;
  });
}
