// The delivery log as staff read it (GET /deliveries): the messages their organisation
// asked for (sent by hand, texted to a kiosk ticket's number), a row per delivery,
// `<length>:<organization>:<created ISO>#<delivery id>` in `organization_deliveries`
// holding its channel, event and user (mixins/db/dated-rows.ts), written once before the
// delivery itself (a repeat with the same key deletes the row it noted at its own instant).
// Filtered on organization_id, the embedded server scanned every delivery ever logged,
// about three for each ticket served to a citizen with the app.
import { claimEach } from "../../mixins/db/claim.ts";
import { datedRowId, datedRowsBetween, documentsOfRows, noteDated, type DatedRow } from "../../mixins/db/dated-rows.ts";
import { inBatches } from "../../mixins/db/in-batches.ts";
import type { DeliveryDoc, NotificationsStore, OrganizationDeliveryDoc } from "./store.ts";

/** A row as a list sees it: which delivery (`_id`) was created when (`created_at`), on which channel, of which event, to whom. */
export type OrganizationDeliveryRow = Omit<DatedRow<Omit<OrganizationDeliveryDoc, "_id">>, "at"> & { created_at: Date };

type Noted = Pick<DeliveryDoc, "_id" | "created_at" | "channel" | "event" | "user_id"> & { organization_id: string };

const rowIdOf = (delivery: Noted) => datedRowId(delivery.organization_id, delivery.created_at, delivery._id);
const rowFieldsOf = ({ channel, event, user_id }: Noted) => ({ channel, event, user_id });

/** Notes the delivery under its organisation; a second note of it changes nothing. */
export async function noteOrganizationDelivery(store: NotificationsStore, delivery: Noted): Promise<void> {
  await noteDated(store.organizationDeliveries, delivery.organization_id, delivery.created_at, delivery._id, rowFieldsOf(delivery));
}

/** The row a repeat of the delivery (same key, recipient and channel) noted at an instant of its own. */
export async function forgetOrganizationDeliveryRow(store: NotificationsStore, delivery: Noted): Promise<void> {
  await store.organizationDeliveries.deleteOne({ _id: rowIdOf(delivery) });
}

/** The rows of the organisation's deliveries created in [from, until). */
export async function organizationDeliveryRows(store: NotificationsStore, organizationId: string, from: Date, until: Date): Promise<OrganizationDeliveryRow[]> {
  return (await datedRowsBetween(store.organizationDeliveries, organizationId, from, until)).map(({ at, ...row }) => ({ ...row, created_at: at }));
}

/** The rows' deliveries as they are now, in the rows' order; one not there, not the organisation's, or not created at its row's instant (a repeat's row) is left out. */
export async function deliveriesOfRows(store: NotificationsStore, organizationId: string, rows: readonly OrganizationDeliveryRow[]): Promise<DeliveryDoc[]> {
  return documentsOfRows(store.deliveries, rows, (doc, row) => doc.organization_id === organizationId && doc.created_at.getTime() === row.created_at.getTime());
}

const BATCH = 500;

/**
 * Writes the rows of the deliveries an organisation asked for in a database from before
 * they were kept (`npm run backfill:delivery-rows`): without them, such a database's older
 * messages are missing from staff's log. Safe to run twice, and while nodes run. A scan,
 * once. Counts the deliveries read.
 */
export async function backfillOrganizationDeliveryRows(store: NotificationsStore, onBatch?: (done: number) => void): Promise<number> {
  const cursor = store.deliveries.find({ organization_id: { $ne: null } }, { organization_id: 1, created_at: 1, channel: 1, event: 1, user_id: 1 }).lean<Noted>().cursor();
  const rows = (batch: Noted[]) => batch.map((delivery) => ({ _id: rowIdOf(delivery), ...rowFieldsOf(delivery) }));
  return inBatches(cursor, BATCH, async (batch) => void (await claimEach(store.organizationDeliveries, rows(batch))));
}
