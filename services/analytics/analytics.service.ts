// analytics: figures counted once from the queue engine's events (rollup.ts: per queue and
// UTC hour and day, written in batches behind the events by rollup-writer.ts), answered
// from those rollups (reads.ts), and the tickets of a period as a streamed CSV
// (ticket-export.ts). Handlers validate, authorise (access.ts) and delegate.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { currentUser, requireRole } from "../../mixins/api/authorize.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { validated } from "../../mixins/api/validated.ts";
import { ensureIndexes } from "../../mixins/db/models.ts";
import { listener } from "../events.ts";
import type { NodeDeps } from "../node-deps.ts";
import { organizationInScope, queueInScope } from "./access.ts";
import { countsChange } from "./counting-node.ts";
import { rate, ratingsOn, type RatedTicket } from "./ratings.ts";
import { organizationDays, queueSeries } from "./reads.ts";
import { RollupWriter } from "./rollup-writer.ts";
import * as S from "./schemas.ts";
import { analyticsStore } from "./store.ts";
import { ticketsCsv } from "./ticket-export.ts";

/** How often buffered contributions are written to the rollups. */
const FLUSH_EVERY_MS = 500;
const DASHBOARD_DAYS = 7;

const today = () => new Date().toISOString().slice(0, 10);

/** The nodes running this service, as this node's registry sees them. */
function analyticsNodes(broker: ServiceBroker): string[] {
  const services = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as Array<{ name: string; nodeID: string }>;
  return services.filter((s) => s.name === "analytics").map((s) => s.nodeID);
}

type CsvMeta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };

export default function analyticsService({ db }: NodeDeps): ServiceSchema {
  const store = analyticsStore(db);
  let writer: RollupWriter | undefined;

  return {
    name: "analytics",
    settings: { rest: "/analytics" },
    actions: {
      dashboard: {
        rest: "GET /dashboard",
        handler: validated(S.Dashboard, function (ctx) {
          const organizationId = organizationInScope(currentUser(ctx), ctx.params.query.organization_id);
          return organizationDays(store, organizationId, today(), DASHBOARD_DAYS, (day) => ratingsOn(db, day, { organization_id: organizationId }));
        }),
      },
      queueStats: {
        rest: "GET /queue-stats",
        handler: validated(S.QueueStats, async function (ctx) {
          const user = currentUser(ctx);
          const { queue_id, granularity } = ctx.params.query;
          const queue = queueInScope(user, await ctx.call<{ organization_id: string } | null, { id: string }>("queues.queueById", { id: queue_id }));
          const date_to = ctx.params.query.date_to ?? today();
          const date_from = ctx.params.query.date_from ?? date_to;
          const series = await queueSeries(store, queue_id, granularity, date_from, date_to, (day) => ratingsOn(db, day, { queue_id }));
          return { queue_id, organization_id: queue.organization_id, granularity, date_from, date_to, ...series };
        }),
      },
      export: {
        rest: "GET /export",
        handler: validated(S.Export, function (ctx) {
          const { organization_id, date_from, date_to } = ctx.params.query;
          const organizationId = organizationInScope(currentUser(ctx), organization_id);
          const meta = ctx.meta as CsvMeta;
          meta.$responseType = "text/csv; charset=utf-8";
          meta.$responseHeaders = { "Content-Disposition": `attachment; filename="tickets-${organizationId}-${date_from}-${date_to}.csv"` };
          return ticketsCsv(db, organizationId, date_from, date_to);
        }),
      },
      rate: {
        rest: "POST /ratings",
        handler: validated(S.Rate, async function (ctx) {
          const user = requireRole(ctx, ["citizen"], "rate a ticket (its citizen does)");
          const { ticket_id, rating, comment } = ctx.params.body;
          // As the queues service shows it to this caller: someone else's ticket is not found there.
          const ticket = await ctx.call<RatedTicket, object>("queues.getTicket", { params: { id: ticket_id }, query: {}, body: undefined });
          const doc = await rate(db, user, ticket, { rating, comment }, new Date());
          ctx.meta.$statusCode = 201;
          return { ticket_id: doc._id, queue_id: doc.queue_id, rating: doc.rating, comment: doc.comment, rated_at: doc.rated_at.toISOString() };
        }),
      },
    },
    events: {
      "queue.changed": listener("queue.changed", function (change, ctx: Context) {
        if (!writer || !countsChange(analyticsNodes(this.broker), ctx.nodeID ?? this.broker.nodeID, this.broker.nodeID)) return;
        writer.add(change);
      }),
    },
    async started() {
      await ensureIndexes(store);
      writer = new RollupWriter(store, FLUSH_EVERY_MS, (err) => this.logger.warn({ err }, "analytics: a batch of rollups was not written; retrying"));
      writer.start();
    },
    async stopped() {
      await writer?.stop();
      writer = undefined;
    },
  };
}
