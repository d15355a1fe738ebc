// GET /api/queues/analytics/: one day of an organisation's (or the platform's) tickets,
// counted by status. It reads that day's view once, not the whole read model (the embedded
// server scans a collection for any filter: ticket-views.ts), and counts open tickets as
// their owners know them now (owned-rows.ts).
import type { Context } from "moleculer";
import type { Model } from "mongoose";
import type { HostStore, TicketDoc } from "../../actors/host/store.ts";
import { ticketsOfDay } from "../../actors/host/ticket-views.ts";
import { withOwnersVersions } from "./owned-rows.ts";
import type { QueueDoc } from "./store.ts";

export async function dayAnalytics(ctx: Context, stores: { journal: HostStore; queues: Model<QueueDoc> }, organizationId: string | null, day: string) {
  const scope = organizationId ? { organization_id: organizationId } : {};
  const stored = await ticketsOfDay(stores.journal, day).find(scope, { queue_id: 1, status: 1 }).lean<TicketDoc[]>();
  const rows = await withOwnersVersions(ctx, stores.journal.tickets, stored);
  return { organization_id: organizationId, day, queues: await stores.queues.countDocuments(scope), tickets: rows.length, by_status: countByStatus(rows) };
}

function countByStatus(rows: readonly Pick<TicketDoc, "status">[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}
