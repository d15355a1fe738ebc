// The rows an appointment gets when it is booked (its citizen's, citizen-appointments.ts;
// its organisation's, organization-appointments.ts; the sweep's while it is open,
// open-appointments.ts), written for the appointments of a
// database from before they were kept (`npm run backfill:appointment-rows`). One pass over
// the appointments, in batches; safe to run again, and beside running nodes.
import { claimEach } from "../../mixins/db/claim.ts";
import { inBatches } from "../../mixins/db/in-batches.ts";
import { ownerRowId } from "../../mixins/db/owner-rows.ts";
import { OPEN_STATUSES, openRowId } from "./open-appointments.ts";
import { organizationRowId } from "./organization-appointments.ts";
import type { AppointmentDoc, AppointmentsStore } from "./store.ts";

const BATCH = 500;

type Read = Pick<AppointmentDoc, "_id" | "user_id" | "status" | "starts_at" | "organization_id" | "service_id">;

/** Counts the appointments read. Rows already there (written at booking, or by an earlier run) stay as they are. */
export async function backfillAppointmentRows(store: AppointmentsStore, onBatch?: (done: number) => void): Promise<number> {
  const write = async (batch: Read[]) => {
    const open = batch.filter((doc) => OPEN_STATUSES.has(doc.status));
    await Promise.all([
      claimEach(store.citizenAppointments, batch.map((doc) => ({ _id: ownerRowId(doc.user_id, doc._id) }))),
      claimEach(store.openAppointments, open.map((doc) => ({ _id: openRowId(doc.starts_at, doc._id) }))),
      claimEach(store.organizationAppointments, batch.map((doc) => ({ _id: organizationRowId(doc.organization_id, doc.starts_at, doc._id), service_id: doc.service_id, user_id: doc.user_id }))),
    ]);
  };
  return inBatches(store.appointments.find({}, { user_id: 1, status: 1, starts_at: 1, organization_id: 1, service_id: 1 }).lean<Read>().cursor(), BATCH, write, onBatch);
}
