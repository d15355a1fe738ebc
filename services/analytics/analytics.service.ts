// analytics: figures counted once from the queue engine's events (rollup.ts: per queue,
// counter and agent and UTC hour and day, written in batches behind the events by
// rollup-writer.ts), answered from those rollups for a scope (scopes.ts, reads.ts); the
// citizens' visits, bookings and how appointments ended (user-behavior.ts); the system's own metrics
// (performance.ts); a period's tickets as a streamed CSV (ticket-export.ts, closed days packed
// for it by a scheduled pass: export-packing.ts) and its report
// as a streamed PDF (report-pdf.ts). Handlers validate, authorise (access.ts) and delegate.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { currentUser, requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { validated } from "../../mixins/api/validated.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { ensureIndexes } from "../../mixins/db/models.ts";
import { listener, type QueueChanged } from "../events.ts";
import { JOURNAL_READ_BACK_MAX } from "../../actors/host/journal.ts";
import type { NodeDeps } from "../node-deps.ts";
import { organizationInScope, scopeInScope, type ScopeLookups } from "./access.ts";
import { countsChange } from "./counting-node.ts";
import type { DayRecords } from "./day-records.ts";
import { appointmentsOn, recordAppointmentEnd } from "./appointment-outcomes.ts";
import { recordBooking } from "./bookings.ts";
import { performanceOf, PERFORMANCE_METRICS, type Metric } from "./performance.ts";
import { citizenOfLink, ratingLink, servedMessages } from "./rating-links.ts";
import { rate, ratingsOn, ratingToWire, type RatedTicket } from "./ratings.ts";
import { countedSeries, membersOver, periodStart, scopeDays, scopeSeries } from "./reads.ts";
import { reportPdf } from "./report-pdf.ts";
import { RollupWriter } from "./rollup-writer.ts";
import { ChangeSequencer, type ReadBackCommit } from "./change-sequencer.ts";
import * as S from "./schemas.ts";
import { dayRecordsFilter, membersOf, organizationOf, scopeLabel, scopeOnWire, seriesIn, type Scope, type ScopeNames } from "./scopes.ts";
import { analyticsStore, type MarkDoc } from "./store.ts";
import { packExportDays } from "./export-packing.ts";
import { ticketsCsv } from "./ticket-export.ts";
import { userBehavior } from "./user-behavior.ts";

const DASHBOARD_DAYS = 7;
const NODES_ASKED_AT_ONCE = 8;

const today = () => new Date().toISOString().slice(0, 10);

/** A query's period: the days it names, or today. */
function periodOf(query: { date_from?: string | undefined; date_to?: string | undefined }) {
  const date_to = query.date_to ?? today();
  return { date_from: query.date_from ?? date_to, date_to };
}

/** The nodes running this service, as this node's registry sees them. */
function analyticsNodes(broker: ServiceBroker): string[] {
  const services = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as Array<{ name: string; nodeID: string }>;
  return services.filter((s) => s.name === "analytics").map((s) => s.nodeID);
}

/** A scope's organisation, queue and branch, as their services know them. */
const lookups = (ctx: Context): ScopeLookups => ({
  organization: (id) => ctx.call("business.organizations.byId", { id }),
  queue: (id) => ctx.call("queues.queueById", { id }),
  branch: (id) => ctx.call("business.branches.byId", { id }),
});

type Named = { name?: string } | null;

/** The names of a scope's organisation, branch and queue, as their services know them. */
async function namesOf(ctx: Context, scope: Scope): Promise<ScopeNames> {
  const name = async (action: string, id: string | undefined) => (id ? ((await ctx.call<Named, { id: string }>(action, { id }))?.name ?? null) : null);
  const [organization, branch, queue] = await Promise.all([
    name("business.organizations.byId", scope.kind === "platform" ? undefined : scope.organization_id),
    name("business.branches.byId", scope.kind === "branch" ? scope.branch_id : undefined),
    name("queues.queueById", scope.kind === "queue" || scope.kind === "counter" ? scope.queue_id : undefined),
  ]);
  return { organization, branch, queue };
}

/** A file the gateway sends as it is streamed, under a name. */
type FileMeta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };

function asFile(ctx: Context, type: string, filename: string): void {
  const meta = ctx.meta as FileMeta;
  meta.$responseType = type;
  meta.$responseHeaders = { "Content-Disposition": `attachment; filename="${filename}"` };
}

export default function analyticsService({ config, db, behind }: NodeDeps): ServiceSchema {
  const store = analyticsStore(db);
  let writer: RollupWriter | undefined;
  let sequencer: ChangeSequencer | undefined;
  const linkConfig = { jwt: config.jwt, ratingLink: config.analytics.ratingLink };

  /** The ids of the series that add up to a scope's figures. */
  const seriesOf = async (scope: Scope) => seriesIn(await countedSeries(store, organizationOf(scope)), scope).map((s) => s.series);

  /** A day's ratings in a scope, and its appointments where it counts them (an organisation or a branch). */
  const recordsOf = (scope: Scope): DayRecords => {
    const filter = dayRecordsFilter(scope);
    const counted = ["platform", "organization", "branch"].includes(scope.kind);
    return async (day) => {
      const [ratings, appointments] = await Promise.all([ratingsOn(db, day, filter), counted ? appointmentsOn(db, day, filter) : null]);
      return { ratings, appointments };
    };
  };

  return {
    name: "analytics",
    settings: { rest: "/analytics" },
    actions: {
      dashboard: {
        rest: "GET /dashboard",
        handler: validated(S.Dashboard, async function (ctx) {
          const scope = await scopeInScope(currentUser(ctx), ctx.params.query, lookups(ctx));
          const counted = await countedSeries(store, organizationOf(scope));
          const days = await scopeDays(store, seriesIn(counted, scope), membersOf(counted, scope), today(), DASHBOARD_DAYS, recordsOf(scope));
          return { ...scopeOnWire(scope), ...days };
        }),
      },
      queueStats: {
        rest: "GET /queue-stats",
        handler: validated(S.QueueStats, async function (ctx) {
          const { granularity } = ctx.params.query;
          const scope = await scopeInScope(currentUser(ctx), ctx.params.query, lookups(ctx));
          const { date_from, date_to } = periodOf(ctx.params.query);
          const figures = await scopeSeries(store, await seriesOf(scope), granularity, date_from, date_to, recordsOf(scope));
          return { ...scopeOnWire(scope), granularity, date_from, date_to, ...figures };
        }),
      },
      /** Internal: an organisation's figures (or every organisation's, for null) by day, for business and queues analytics. */
      figures: {
        visibility: "public",
        handler: validated(S.Figures, async function (ctx) {
          const { organization_id, date_to, days } = ctx.params;
          const date_from = periodStart(date_to, days);
          const scope: Scope = organization_id === null ? { kind: "platform" } : { kind: "organization", organization_id };
          const series = seriesIn(await countedSeries(store, organization_id), scope);
          const figures = await scopeSeries(store, series.map((s) => s.series), "day", date_from, date_to, recordsOf(scope));
          return { queues_counted: series.length, date_from, date_to, ...figures };
        }),
      },
      export: {
        rest: "GET /export",
        handler: validated(S.Export, async function (ctx) {
          const { organization_id, date_from, date_to } = ctx.params.query;
          const organizationId = await organizationInScope(currentUser(ctx), organization_id, lookups(ctx));
          asFile(ctx, "text/csv; charset=utf-8", `tickets-${organizationId}-${date_from}-${date_to}.csv`);
          return ticketsCsv(db, organizationId, date_from, date_to);
        }),
      },
      /** Internal, for notifications: the rating link texted to a served kiosk ticket's number; it names no citizen, so it rates only a ticket without one. */
      kioskRatingLink: {
        visibility: "public",
        handler: validated(S.KioskRatingLink, async function (ctx) {
          return { link: ratingLink(linkConfig, ctx.params.ticket_id, null) };
        }),
      },
      /** Internal, for the appointments service: a booking, filed once (a failure is the caller's to retry: appointments/announcements.ts). */
      recordBooking: {
        visibility: "public",
        handler: validated(S.RecordBooking, async function (ctx) {
          await recordBooking(db, ctx.params);
          return { filed: true };
        }),
      },
      /** Internal, for the appointments service: how an appointment ended, filed once. */
      recordAppointmentEnd: {
        visibility: "public",
        handler: validated(S.RecordAppointmentEnd, async function (ctx) {
          await recordAppointmentEnd(db, ctx.params);
          return { filed: true };
        }),
      },
      /** Internal, for the scheduler: closed days packed, so the export reads them fast (export-packing.ts). */
      packExportDays: {
        visibility: "public",
        handler: validated(S.PackExportDays, async function (ctx) {
          return packExportDays(db, this.logger, ctx.params.now ? Date.parse(ctx.params.now) : Date.now());
        }),
      },
      userBehavior: {
        rest: "GET /user-behavior",
        handler: validated(S.UserBehavior, async function (ctx) {
          const scope = await scopeInScope(currentUser(ctx), ctx.params.query, lookups(ctx));
          const { date_from, date_to } = periodOf(ctx.params.query);
          return { ...scopeOnWire(scope), date_from, date_to, ...(await userBehavior(db, store, scope, await seriesOf(scope), date_from, date_to)) };
        }),
      },
      /** The system itself, over every node: for platform admins only, since it shows every organisation's load. */
      performance: {
        rest: "GET /performance",
        handler: validated(S.Performance, async function (ctx) {
          requireRole(ctx, ["platform_admin"], "see the platform's performance (platform admins do)");
          const nodes = (this.broker.registry.nodes.list({ onlyAvailable: true, withServices: false }) as Array<{ id: string }>).map((n) => n.id).sort();
          const metricsOf = (nodeID: string) => ctx.call<Metric[], object>("$node.metrics", { includes: PERFORMANCE_METRICS }, { nodeID }).catch(() => null);
          return performanceOf(await mapLimited(nodes, NODES_ASKED_AT_ONCE, async (id) => ({ id, metrics: await metricsOf(id) })), new Date());
        }),
      },
      report: {
        rest: "GET /reports",
        handler: validated(S.Report, async function (ctx) {
          const { date_from, date_to } = ctx.params.query;
          const scope = await scopeInScope(currentUser(ctx), ctx.params.query, lookups(ctx));
          const counted = await countedSeries(store, organizationOf(scope));
          const series = seriesIn(counted, scope).map((s) => s.series);
          const [figures, members, names] = await Promise.all([
            scopeSeries(store, series, "day", date_from, date_to, recordsOf(scope)),
            membersOver(store, membersOf(counted, scope), date_from, date_to),
            namesOf(ctx, scope),
          ]);
          asFile(ctx, "application/pdf", `rapport-${scope.kind}-${date_from}-${date_to}.pdf`);
          const content = { scope_label: scopeLabel(scope, names), date_from, date_to, totals: figures.totals, days: figures.results, generated_at: new Date() };
          return reportPdf({ ...content, by_queue: members.by_queue, by_counter: members.by_counter, by_agent: members.by_agent });
        }),
      },
      rate: {
        rest: "POST /ratings",
        handler: validated(S.Rate, async function (ctx) {
          const user = requireRole(ctx, ["citizen"], "rate a ticket (its citizen does)");
          const { ticket_id, rating, comment } = ctx.params.body;
          // As the queues service shows it to this caller: someone else's ticket is not found there.
          const ticket = await ctx.call<RatedTicket, object>("queues.getTicket", { params: { id: ticket_id }, query: {}, body: undefined });
          ctx.meta.$statusCode = 201;
          return ratingToWire(await rate(db, user.id, ticket, { rating, comment }, new Date(), config.analytics.flushMs));
        }),
      },
      /** The link in the "served" message: no login, its token stands for the ticket's citizen (rating-links.ts). */
      rateByLink: {
        rest: "POST /ratings/link",
        anonymous: true,
        handler: validated(S.RateByLink, async function (ctx) {
          const { ticket_id, token, rating, comment } = ctx.params.body;
          const citizenId = citizenOfLink(linkConfig, token, ticket_id);
          const ticket = await ctx.call<RatedTicket | null, object>("queues.ticketById", { id: ticket_id });
          if (!ticket) throw errors.notFound("Ticket");
          ctx.meta.$statusCode = 201;
          return ratingToWire(await rate(db, citizenId, ticket, { rating, comment }, new Date(), config.analytics.flushMs));
        }),
      },
    },
    events: {
      "queue.changed": listener("queue.changed", function (change, ctx: Context) {
        if (!sequencer) return;
        // A node that stops counting a queue forgets where it stood and the rollups it
        // wrote: the node counting it now moves them on, and they are read again if this
        // one counts it later.
        if (countsChange(analyticsNodes(this.broker), ctx.nodeID ?? this.broker.nodeID, this.broker.nodeID)) void sequencer.hear(change);
        else {
          sequencer.forget(change.queue_id);
          writer?.forget(change.queue_id);
        }
      }),
    },
    async started() {
      await ensureIndexes(store);
      // Counting is done behind the changes it counts (services/node-deps.ts, `behind`).
      const rollups = new RollupWriter(analyticsStore(behind), config.analytics.flushMs, config.live.monitor.targetWaitMs, (err) => this.logger.warn({ err }, "analytics: a batch of rollups was not written; retrying"));
      writer = rollups;
      /** Counts a change: its rollups, servers and visits; a served message only as it happens, not when read back late. */
      const count = (change: QueueChanged, replayed: boolean) => {
        rollups.add(change);
        if (replayed) return;
        for (const message of servedMessages(change, (ticketId, userId) => ratingLink(linkConfig, ticketId, userId), config.analytics.ratingLink.channels)) {
          this.broker.call("notifications.notify", message).catch((err) => this.logger.warn({ err, key: message.idempotency_key }, "analytics: a served message was not sent"));
        }
      };
      sequencer = new ChangeSequencer(
        {
          markOf: (queueId) => store.marks.findById(queueId).lean<MarkDoc>(),
          commits: (queueId, from, to) => this.broker.call<ReadBackCommit[], object>("queues.journalCommits", { queue_id: queueId, from_seq: from, to_seq: to }),
          deliver: count,
          warn: (details, message) => this.logger.warn(details, message),
        },
        JOURNAL_READ_BACK_MAX,
      );
      rollups.start();
    },
    async stopped() {
      sequencer = undefined;
      await writer?.stop();
      writer = undefined;
    },
  };
}
