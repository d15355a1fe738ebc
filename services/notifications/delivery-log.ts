// The delivery log as GET /deliveries lists it. Staff see what their organisation asked for
// (messages sent by hand, texts to kiosk tickets' numbers), over a window of days, from the
// organisation's rows (organization-deliveries.ts). The platform admin names an
// organisation, or a user: every message that user got, under the user's prefix
// (`deliveryId`, inbox.ts). Either way the embedded server reads those rows and documents
// by _id, however many messages the log holds; filtered on organization_id or user_id it
// scanned them all.
import type { Context } from "moleculer";
import { listedOrganization } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { daysBack, listWindow } from "../../mixins/api/list-window.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { ordersBy, paginateRows, paginateRowsRefreshed, type ListOptions, type ListSpec } from "../../mixins/api/pagination.ts";
import { ofOwner } from "../../mixins/db/owner-prefix.ts";
import { deliveriesOfRows, organizationDeliveryRows } from "./organization-deliveries.ts";
import type { DeliveryDoc, DeliveryStatus, LoggedChannel, NotificationsStore } from "./store.ts";
import { deliveryToWire } from "./wire.ts";

export const DELIVERY_LIST: ListSpec = { searchFields: ["recipient", "event"], defaultOrdering: "-created_at" };
/** Staff's log without dates: the last week. */
const DEFAULT_LOG_DAYS = 7;

export interface DeliveryLogQuery extends ListOptions {
  channel?: LoggedChannel;
  status?: DeliveryStatus;
  event?: string;
  user_id?: string;
  organization_id?: string;
  date_from?: string;
  date_to?: string;
}

/** `scope`: `{ organization_id }` for staff, `{}` for the platform admin. */
export async function listDeliveryLog(ctx: Context<unknown, CallMeta>, store: NotificationsStore, scope: { organization_id: string | null } | Record<string, never>, query: DeliveryLogQuery) {
  const { channel, status, event, user_id, organization_id, date_from, date_to, ...page } = query;
  const picked = (row: { channel: string; event: string; user_id: string | null }) =>
    (channel === undefined || row.channel === channel) && (event === undefined || row.event === event) && (user_id === undefined || row.user_id === user_id);
  const kept = (doc: DeliveryDoc) => picked(doc) && (status === undefined || doc.status === status);
  const { from, until } = listWindow({ date_from, date_to }, daysBack(Date.now(), DEFAULT_LOG_DAYS));

  if (!("organization_id" in scope) && organization_id === undefined) {
    if (user_id === undefined) throw errors.validation([{ path: "query.organization_id", message: "name organization_id or user_id: the platform admin's log is listed per organisation or per user" }]);
    // A user's every message unless dates are given.
    const dated = date_from !== undefined || date_to !== undefined;
    const inWindow = (doc: DeliveryDoc) => !dated || (doc.created_at >= from && doc.created_at < until);
    const docs = await store.deliveries.find(ofOwner(user_id)).lean<DeliveryDoc[]>();
    return paginateRows(ctx, docs.filter((doc) => kept(doc) && inWindow(doc)), page, DELIVERY_LIST, deliveryToWire);
  }
  const organizationId = listedOrganization(scope, organization_id, "deliveries");
  if (organizationId === null) return paginateRows(ctx, [], page, DELIVERY_LIST, deliveryToWire);
  const rows = (await organizationDeliveryRows(store, organizationId, from, until)).filter(picked);
  // Only the page's deliveries are read unless what picks or orders them is not in the rows.
  if (status === undefined && !page.search && !ordersBy(page, DELIVERY_LIST, "updated_at")) {
    return paginateRowsRefreshed(ctx, rows, page, DELIVERY_LIST, (shown) => deliveriesOfRows(store, organizationId, shown), (doc) => deliveryToWire(doc as DeliveryDoc));
  }
  return paginateRows(ctx, (await deliveriesOfRows(store, organizationId, rows)).filter(kept), page, DELIVERY_LIST, deliveryToWire);
}
