// services/queues: queues, counters and tickets. REST actions validate, authorise and
// send one command to the queue's actor; the actor lives on the node that owns the
// queue (internal actions sharded by queue_id), hosted by actors/host.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { Types } from "mongoose";
import { QueueActorHost, type QueueChanged } from "../../actors/host/host.ts";
import { commitsBetween } from "../../actors/host/journal.ts";
import { ensureHostIndexes, hostStore, type HostStore, type TicketDoc } from "../../actors/host/store.ts";
import { rowsOfDay } from "../../actors/host/ticket-views.ts";
import { ticketsOfUser } from "../../actors/host/citizen-rows.ts";
import { withOwnersVersions } from "./owned-rows.ts";
import { estimatedWait, localDay, OPEN_STATUSES, position, snapshot, type QueueSnapshot } from "../../actors/queue/index.ts";
import { currentUser, isAdminOf, isPlatformAdmin, isStaffOf, requireRole, STAFF_ROLES, listScope } from "../../mixins/api/authorize.ts";
import { CONSISTENT_SHARD } from "../../config/broker/consistent-shard-strategy.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { definedOnly, ordersBy, paginate, paginateRows, paginateRowsRefreshed, type ListOptions } from "../../mixins/api/pagination.ts";
import { isObjectId } from "../../mixins/db/wire.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { DEFAULT_TIME_ZONE } from "../business/opening-hours.ts";
import { isInvalidTransition, isRefusal, readView, sendCommand } from "./actor-calls.ts";
import { ticketIdFor } from "./idempotency.ts";
import { issueFields } from "./issuance.ts";
import { feeFor, takePayment } from "./ticket-fees.ts";
import { plannedPolicy } from "./queue-creation.ts";
import { mergePolicy, toPolicyPatch } from "./policy.ts";
import { administeredQueue, findQueue, operatedQueue, queueInfoOf, queueToWire } from "./queue-access.ts";
import * as S from "./schemas.ts";
import { QUEUE_BY_ID_CACHE, queueCache as cachedQueues } from "./queue-cache.ts";
import { closeAtEndOfDay, openAtStartOfDay } from "./office-day.ts";
import { ensureQueuesIndexes, queuesStore, type QueueDoc } from "./store.ts";
import { storedTicketToWire, ticketIn, ticketToWire } from "./tickets.ts";
import { reportProjection } from "./projection-metrics.ts";
import { publicStatus } from "./public-status.ts";
import { givenBy, ticketCommands, throwUnavailable } from "./ticket-commands.ts";
import { findTicket, type TicketView } from "./ticket-lookup.ts";
import { newTicketId } from "./ticket-ids.ts";
import { completeStranded } from "./transfers.ts";
import { hostsOf, RingJoins } from "./ring-joins.ts";
import { broadcast, listener } from "../events.ts";

const SHARDED = { visibility: "public", strategy: CONSISTENT_SHARD, strategyOptions: { shardKey: "queue_id" } } as const;
const queuePath = (id: string) => `/api/queues/queues/${id}/`;
const ticketPath = (id: string) => `/api/queues/tickets/${id}/`;
const TICKET_LIST = { searchFields: ["number"], defaultOrdering: "-issued_at" };
/** The local day a list or a count is about: the one asked for, or today's. */
const dayOrToday = (day: string | undefined) => day ?? localDay(Date.now(), DEFAULT_TIME_ZONE);

/**
 * A day's rows a user may list, of one queue if asked, each read from a bounded view (a
 * list over the whole history, or over every organisation's day, would scan it): a
 * citizen's own (citizen-rows.ts), staff's organisation's or one of its queues'
 * (ticket-views.ts), every organisation's for the platform admin.
 */
async function listableRowsOfDay(journal: HostStore, user: AuthUser, day: string, queueId: string | undefined): Promise<TicketDoc[]> {
  const scope = listScope(user);
  const ofQueue = (rows: TicketDoc[]) => (queueId === undefined ? rows : rows.filter((row) => row.queue_id === queueId));
  if ("user_id" in scope) return ofQueue((await ticketsOfUser(journal, scope.user_id)).filter((row) => row.day === day));
  if ("organization_id" in scope) return scope.organization_id === null ? [] : rowsOfDay(journal, day, { organizationId: scope.organization_id, queueId });
  return ofQueue(await rowsOfDay(journal, day, { organizationId: null }));
}

export default function queuesService({ config, db, behind }: NodeDeps): ServiceSchema {
  const store = queuesStore(db);
  const journal = hostStore(db);
  /** The actors' own: the same journal, the projection written behind it. */
  const hosted = hostStore(db, behind);
  let broker: ServiceBroker | undefined;
  const queueCache = cachedQueues(() => broker!);
  let host: QueueActorHost | undefined;
  let ring: RingJoins | undefined;
  let stopReporting = () => {};
  const { visibleTicket, staffTicketCommand, alreadyIssued, transfer } = ticketCommands(journal.tickets, queueCache);
  /**
   * A page of stored ticket rows, its rows as they are now (owned-rows.ts), those `kept`
   * only. Which rows make a page, and in what order, depends on statuses only when a list
   * keeps some by status or orders by it: then every open row is asked of its owner first;
   * otherwise only the page's rows are, not the hundreds or thousands of open tickets a
   * busy day or a long-time citizen has.
   */
  const pageAsNow = async (ctx: Context<unknown, CallMeta>, stored: TicketDoc[], page: ListOptions, kept?: (row: TicketDoc) => boolean) => {
    const asNow = (rows: TicketDoc[]) => withOwnersVersions(ctx, journal.tickets, rows);
    if (!kept && !ordersBy(page, TICKET_LIST, "status")) return paginateRowsRefreshed(ctx, stored, page, TICKET_LIST, asNow, storedTicketToWire);
    const now = await asNow(stored);
    return paginateRows(ctx, kept ? now.filter(kept) : now, page, TICKET_LIST, storedTicketToWire);
  };

  /** An agent's step on one ticket: POST /tickets/:id/<path>. */
  const ticketStep = (path: string, type: "recall" | "no_show" | "start" | "complete") => ({
    rest: `POST /tickets/:id/${path}`,
    handler: validated(S.TicketAction, async function (ctx) {
      return staffTicketCommand(ctx, ctx.params.params.id, { type });
    }),
  });

  const countersOf = async (ctx: Context, queueId: string) => (await readView<QueueSnapshot>(ctx, queueId, "snapshot")).counters;

  /** A change of a whole queue's status by its staff: POST /queues/:id/<type>. */
  const queueStep = (type: "pause" | "resume" | "open") => ({
    rest: `POST /queues/:id/${type}`,
    handler: validated(S.QueueAction, async function (ctx) {
      return queueCommand(ctx, ctx.params.params.id, { type });
    }),
  });

  return {
    name: "queues",
    settings: { rest: "/queues" },
    actions: {
      listQueues: {
        rest: "GET /queues",
        handler: validated(S.ListQueues, async function (ctx) {
          currentUser(ctx);
          const { organization_id, branch_id, is_active, ...page } = ctx.params.query;
          const filter = definedOnly({ organization_id, branch_id, is_active });
          return paginate(ctx, store.queues, filter, page, { searchFields: ["name"], defaultOrdering: "name" }, queueToWire);
        }),
      },
      createQueue: {
        rest: "POST /queues",
        handler: validated(S.CreateQueue, async function (ctx) {
          const { policy, ...body } = ctx.params.body;
          if (!isAdminOf(currentUser(ctx), body.organization_id)) throw errors.forbidden("create queues for this organisation");
          const planned = await plannedPolicy(ctx, body, policy);
          const doc = await store.queues.create({ ...body, branch_id: body.branch_id ?? null, service_id: body.service_id ?? null, policy: toPolicyPatch(planned) });
          const queue = queueToWire(doc.toObject());
          return created(ctx, queuePath(queue.id), queue);
        }),
      },
      getQueue: {
        rest: "GET /queues/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return queueToWire(await findQueue(queueCache, ctx.params.params.id));
        }),
      },
      updateQueue: {
        rest: "PUT /queues/:id",
        handler: validated(S.UpdateQueue, async function (ctx) {
          const doc = await administeredQueue(store, currentUser(ctx), ctx.params.params.id, "change this queue");
          const { policy, ...fields } = ctx.params.body;
          if (policy) {
            const merged = mergePolicy(doc.policy ?? {}, toPolicyPatch(policy));
            await sendCommand(ctx, String(doc._id), { type: "configure", policy: merged });
            doc.policy = merged;
            doc.markModified("policy");
          }
          doc.set(fields);
          const saved = queueToWire((await doc.save()).toObject());
          await queueChanged(ctx, saved.id, false);
          return saved;
        }),
      },
      deleteQueue: {
        rest: "DELETE /queues/:id",
        handler: validated(S.ById, async function (ctx) {
          const doc = await administeredQueue(store, currentUser(ctx), ctx.params.params.id, "delete this queue");
          // From the owner: the read model may not show a ticket taken a moment ago.
          const open = await readView<number>(ctx, String(doc._id), "open_tickets");
          if (open > 0) throw errors.conflict(`This queue still has ${open} open tickets; close it first.`, { open_tickets: open });
          await doc.deleteOne();
          await queueChanged(ctx, String(doc._id), true);
          return noContent(ctx);
        }),
      },
      queueStatus: {
        rest: "GET /queues/:id/status",
        handler: validated(S.ById, async function (ctx) {
          const user = currentUser(ctx);
          const doc = await findQueue(queueCache, ctx.params.params.id);
          const view = await readView<ReturnType<typeof snapshot>>(ctx, String(doc._id), "snapshot");
          const shown = isStaffOf(user, doc.organization_id) ? view : publicStatus(view);
          return { ...shown, name: doc.name, organization_id: doc.organization_id, branch_id: doc.branch_id };
        }),
      },
      listCounters: {
        rest: "GET /queues/:id/counters",
        handler: validated(S.ById, async function (ctx) {
          const doc = await operatedQueue(queueCache, currentUser(ctx), ctx.params.params.id, "see this queue's counters");
          return (await readView<ReturnType<typeof snapshot>>(ctx, String(doc._id), "snapshot")).counters;
        }),
      },
      createCounter: {
        rest: "POST /queues/:id/counters",
        handler: validated(S.CreateCounter, async function (ctx) {
          const doc = await administeredQueue(store, currentUser(ctx), ctx.params.params.id, "add counters to this queue");
          const counterId = ctx.params.body.id ?? `c-${new Types.ObjectId().toHexString().slice(-8)}`;
          const reply = await sendCommand(ctx, String(doc._id), { type: "open_counter", counter_id: counterId, name: ctx.params.body.name });
          const counter = reply.events.find((e) => e.type === "counter.opened")!;
          return created(ctx, `${queuePath(String(doc._id))}counters/${counterId}/`, "counter" in counter ? counter.counter : null);
        }),
      },
      updateCounter: {
        rest: "PUT /queues/:id/counters/:counter_id",
        handler: validated(S.UpdateCounter, async function (ctx) {
          const { id, counter_id } = ctx.params.params;
          const doc = await operatedQueue(queueCache, currentUser(ctx), id, "open or close counters");
          const { open, name } = ctx.params.body;
          const command = open ? { type: "open_counter" as const, counter_id, name: name ?? counter_id } : { type: "close_counter" as const, counter_id };
          try {
            const reply = await sendCommand(ctx, String(doc._id), command);
            const event = reply.events.find((e) => e.type === "counter.opened" || e.type === "counter.closed");
            return event && "counter" in event ? event.counter : null;
          } catch (err) {
            // A PUT sets a state: the one the counter has already is answered as it is.
            const already = isInvalidTransition(err) && (await countersOf(ctx, String(doc._id))).find((c) => c.id === counter_id);
            if (already && already.open === open && (name === undefined || name === already.name)) return already;
            throw err;
          }
        }),
      },
      callNext: {
        rest: "POST /queues/:id/call-next",
        handler: validated(S.CallNext, async function (ctx) {
          const doc = await operatedQueue(queueCache, currentUser(ctx), ctx.params.params.id, "call tickets");
          const reply = await sendCommand(ctx, String(doc._id), { type: "call_next", counter_id: ctx.params.body.counter_id, ...givenBy(currentUser(ctx)) });
          return ticketToWire(ticketIn(reply.events)!, doc);
        }),
      },
      pauseQueue: queueStep("pause"),
      resumeQueue: queueStep("resume"),
      closeQueue: {
        rest: "POST /queues/:id/close",
        handler: validated(S.CloseQueue, async function (ctx) {
          return queueCommand(ctx, ctx.params.params.id, { type: "close", reason: ctx.params.body?.reason ?? "queue closed" });
        }),
      },
      openQueue: queueStep("open"),

      listTickets: {
        rest: "GET /tickets",
        handler: validated(S.ListTickets, async function (ctx) {
          const { queue_id, status, day, ...page } = ctx.params.query;
          // A stored row may be further along now: an open one in its owner (owned-rows.ts),
          // an ended one in its end (ticket-ends.ts). So rows are read whatever status is
          // asked, and filtered once both are put over them.
          // Read once and paged here: counting and finding would read the rows twice.
          const rows = await listableRowsOfDay(journal, currentUser(ctx), dayOrToday(day), queue_id);
          return pageAsNow(ctx, rows, page, status === undefined ? undefined : (row) => row.status === status);
        }),
      },
      issueTicket: {
        rest: "POST /tickets",
        handler: validated(S.IssueTicket, async function (ctx) {
          const user = currentUser(ctx);
          const body = ctx.params.body;
          const doc = await findQueue(queueCache, body.queue_id);
          const fields = issueFields(user, doc, body);
          // Staff issuing for a citizen (only staff may name one): one who exists, or the
          // ticket would notify nobody.
          if (body.user_id && !(await ctx.call<{ is_active: boolean } | null, { id: string }>("accounts.contactOf", { id: body.user_id }))?.is_active) {
            throw errors.validation([{ path: "body.user_id", message: "no such active user" }]);
          }
          const { ticket_id: ticketId, repeated } = await ticketIdFor(store, user.id, ctx.meta.request?.idempotency_key, String(doc._id));
          const earlier = repeated ? await alreadyIssued(ctx, ticketId) : null;
          if (earlier) return created(ctx, ticketPath(ticketId), earlier);
          const fee = await feeFor(ctx, user, doc, fields.user_id, body);
          const letGo = await takePayment(store.feePayments, fee, ticketId);
          const reply = await sendCommand(ctx, String(doc._id), { type: "issue", ticket_id: ticketId, ...fields, fee }).catch(async (err) => {
            if (isRefusal(err)) await letGo(); // not issued: the payment may pay another ticket
            throw err;
          });
          // A concurrent repeat: the actor issued nothing new and answers the ticket as it is.
          const ticket = ticketIn(reply.events, ticketId) ?? reply.existing ?? throwUnavailable();
          return created(ctx, ticketPath(ticketId), ticketToWire(ticket, doc));
        }),
      },
      myTickets: {
        rest: "GET /tickets/my",
        handler: validated(S.MyTickets, async function (ctx) {
          const user = currentUser(ctx);
          const { open, ...page } = ctx.params.query;
          // Reads by _id only, however long the office has run (citizen-rows.ts).
          return pageAsNow(ctx, await ticketsOfUser(journal, user.id), page, open === undefined ? undefined : (row) => OPEN_STATUSES.has(row.status) === open);
        }),
      },
      getTicket: {
        rest: "GET /tickets/:id",
        handler: validated(S.ById, async function (ctx) {
          const found = await visibleTicket(ctx, ctx.params.params.id);
          const waiting = found.ticket.status === "waiting";
          const wait = waiting ? found.estimated_wait_ms : null;
          return { ...ticketToWire(found.ticket, found), position: waiting ? found.position : null, estimated_wait_seconds: wait === null ? null : Math.round(wait / 1000) };
        }),
      },
      transferTicket: {
        rest: "PUT /tickets/:id",
        handler: validated(S.TransferTicket, async function (ctx) {
          return transfer(ctx, ctx.params.params.id, ctx.params.body.queue_id);
        }),
      },
      transferTicketAction: {
        rest: "POST /tickets/:id/transfer",
        handler: validated(S.TransferTicket, async function (ctx) {
          return transfer(ctx, ctx.params.params.id, ctx.params.body.queue_id);
        }),
      },
      cancelTicket: {
        rest: "DELETE /tickets/:id",
        handler: validated(S.CancelTicket, async function (ctx) {
          const found = await visibleTicket(ctx, ctx.params.params.id);
          await sendCommand(ctx, found.ticket.queue_id, { type: "cancel", ticket_id: found.ticket.id, reason: ctx.params.body?.reason ?? null, ...givenBy(currentUser(ctx)) });
          return noContent(ctx);
        }),
      },
      callTicket: {
        rest: "POST /tickets/:id/call",
        handler: validated(S.CallTicket, async function (ctx) {
          return staffTicketCommand(ctx, ctx.params.params.id, { type: "call", counter_id: ctx.params.body.counter_id });
        }),
      },
      setNotifyNear: {
        rest: "PUT /tickets/:id/notify-near",
        handler: validated(S.SetNotifyNear, async function (ctx) {
          const found = await visibleTicket(ctx, ctx.params.params.id);
          if (!found.ticket.user_id && ctx.params.body.notify_near) throw errors.validation([{ path: "body.notify_near", message: "this ticket is for nobody in particular: there is nobody to tell" }]);
          const reply = await sendCommand(ctx, found.ticket.queue_id, { type: "set_notify_near", ticket_id: found.ticket.id, notify_near: ctx.params.body.notify_near });
          return ticketToWire(ticketIn(reply.events, found.ticket.id)!, found);
        }),
      },
      recallTicket: ticketStep("recall", "recall"),
      noShowTicket: ticketStep("no-show", "no_show"),
      startTicket: ticketStep("start", "start"),
      completeTicket: ticketStep("complete", "complete"),
      /** A day's figures of the caller's organisation (or the platform's), from analytics' rollups: the numbers its dashboard shows. */
      analytics: {
        rest: "GET /analytics",
        handler: validated(S.Analytics, async function (ctx) {
          const user = requireRole(ctx, STAFF_ROLES, "see queue analytics");
          const requested = ctx.params.query.organization_id;
          if (requested && !isStaffOf(user, requested)) throw errors.forbidden("see another organisation's analytics");
          const organizationId = requested ?? (isPlatformAdmin(user) ? null : user.organization_id!);
          const day = dayOrToday(ctx.params.query.day);
          const [queues, figures] = await Promise.all([
            store.queues.countDocuments(organizationId ? { organization_id: organizationId } : {}),
            ctx.call<{ totals: Record<string, unknown> }, object>("analytics.figures", { organization_id: organizationId, date_to: day, days: 1 }),
          ]);
          return { organization_id: organizationId, day, queues, ...figures.totals };
        }),
      },

      /** Internal: a ticket as it is now, whoever asks, or null (analytics rates one through a signed link). */
      ticketById: {
        visibility: "public",
        handler: validated(S.TicketById, async function (ctx) {
          const found = await findTicket(ctx, journal.tickets, queueCache, ctx.params.id);
          return found && ticketToWire(found.ticket, found);
        }),
      },
      /** Internal: a queue's definition, through the broker's cacher (queue-cache.ts). */
      queueById: {
        cache: QUEUE_BY_ID_CACHE,
        handler: validated(S.QueueById, async function (ctx) {
          return isObjectId(ctx.params.id) ? store.queues.findById(ctx.params.id).lean() : null;
        }),
      },
      /** Internal, for analytics: commits whose broadcasts a listener missed, read by _id from the journal. */
      journalCommits: {
        visibility: "public",
        handler: validated(S.JournalCommits, async function (ctx) {
          return commitsBetween(journal, ctx.params.queue_id, ctx.params.from_seq, ctx.params.to_seq);
        }),
      },

      // Internal, sharded by queue_id: these run on the node that owns the queue.
      actorCommand: {
        ...SHARDED,
        handler: validated(S.ActorCommand, async function (ctx) {
          const done = await host!.execute(ctx.params.queue_id, ctx.params.command as never);
          return { events: done.events, version: done.state.version, existing: done.existing };
        }),
      },
      actorView: {
        ...SHARDED,
        handler: validated(S.ActorView, async function (ctx) {
          const { queue_id, view, ticket_id = "" } = ctx.params;
          if (view === "snapshot") return host!.read(queue_id, snapshot);
          if (view === "open_tickets") return host!.read(queue_id, (state) => state.tickets.length);
          if (view === "tickets") return host!.tickets(queue_id, ctx.params.ticket_ids ?? []);
          const ticket = await host!.ticket(queue_id, ticket_id);
          return host!.read<TicketView>(queue_id, (state, at) => ({ ticket, position: position(state, ticket_id, at), estimated_wait_ms: estimatedWait(state, ticket_id, at) }));
        }),
      },
      /** For appointments: the check-in's ticket, ranked from its appointment time. Idempotent by ticket_id. */
      issueForAppointment: {
        visibility: "public",
        handler: validated(S.IssueForAppointment, async function (ctx) {
          const { queue_id, service_id, organization_id, ticket_id, ...appointment } = ctx.params;
          const doc = queue_id ? await findQueue(queueCache, queue_id) : await store.queues.findOne({ service_id, organization_id, is_active: true }).lean();
          if (!doc || doc.service_id !== service_id || doc.organization_id !== organization_id || !doc.is_active) throw errors.notFound("An open queue for this service");
          const ticketId = newTicketId(String(doc._id), ticket_id);
          const earlier = await alreadyIssued(ctx, ticketId);
          if (earlier) return earlier;
          const reply = await sendCommand(ctx, String(doc._id), { type: "issue", ticket_id: ticketId, channel: "mobile", priority: "normal", ...appointment });
          return ticketToWire(ticketIn(reply.events, ticketId) ?? reply.existing ?? throwUnavailable(), doc);
        }),
      },
      /** For the scheduler's end-of-day job: closes the queues past their closing time. */
      closeAtEndOfDay: {
        visibility: "public",
        handler: validated(S.DailyStep, async function (ctx) {
          const { now, organization_id } = ctx.params;
          return closeAtEndOfDay(ctx, store, now ? Date.parse(now) : Date.now(), organization_id);
        }),
      },
      /** For the scheduler's start-of-day job: opens the queues whose day has begun. */
      openAtStartOfDay: {
        visibility: "public",
        handler: validated(S.DailyStep, async function (ctx) {
          const { now, organization_id } = ctx.params;
          return openAtStartOfDay(ctx, store, now ? Date.parse(now) : Date.now(), organization_id);
        }),
      },
      /** For the live gateway: the queue's owner, name and own target wait with its snapshot. */
      snapshot: {
        visibility: "public",
        handler: validated(S.SnapshotInput, async function (ctx) {
          const doc = await findQueue(queueCache, ctx.params.queue_id);
          const view = await readView<ReturnType<typeof snapshot>>(ctx, String(doc._id), "snapshot");
          const queue = { id: String(doc._id), organization_id: doc.organization_id, branch_id: doc.branch_id, name: doc.name, target_wait_ms: doc.policy?.target_wait_ms ?? null };
          return { queue, snapshot: view };
        }),
      },
      /** For the live monitors: the active queues they show, named as `snapshot` names them (a scan that grows with the offices, not with history). */
      monitored: {
        visibility: "public",
        handler: validated(S.MonitoredQueues, async function (ctx) {
          const { organization_id } = ctx.params;
          const docs = await store.queues.find({ is_active: true, ...(organization_id && { organization_id }) }).lean<Array<QueueDoc & { _id: unknown }>>();
          return docs.map((doc) => ({ id: String(doc._id), organization_id: doc.organization_id, branch_id: doc.branch_id, name: doc.name }));
        }),
      },
    },
    events: {
      // A node joined the ring (ring-joins.ts): idle actors leave memory. (When a node
      // leaves, only its queues move, to us or others: ours stay ours.)
      "$services.changed"() {
        if (ring?.joined()) host?.passivateIdle(0);
      },
      "queues.changed": listener("queues.changed", async ({ queue_id, deleted }) => {
        await queueCache.forget(queue_id);
        if (deleted) host?.forget(queue_id);
      }),
    },
    created() {
      broker = this.broker;
      ring = new RingJoins(hostsOf(this.broker, "queues.actorCommand"));
    },
    async started() {
      await Promise.all([ensureQueuesIndexes(store), ensureHostIndexes(journal)]);
      host = new QueueActorHost({
        store: hosted,
        nodeId: this.broker.nodeID,
        idleMs: config.actorIdleMs,
        storeTimeoutMs: config.storeTimeoutMs,
        onStrandedTransfer: (queueId, transfer) => completeStranded(this.broker, journal.tickets, queueId, transfer),
        strandedAfterMs: config.strandedTransferMs,
        logger: this.logger,
        loadQueue: async (id) => {
          const doc = Types.ObjectId.isValid(id) ? await store.queues.findById(id).lean() : null;
          return doc ? queueInfoOf(doc) : null;
        },
        publish: (change: QueueChanged) => broadcast(this.broker, "queue.changed", change),
      });
      stopReporting = reportProjection(this.broker.metrics, host);
    },
    async stopped() {
      stopReporting();
      await host?.stop();
    },
  };

  /** Drops the queue's cached definition here at once, and on the other nodes by broadcast. */
  async function queueChanged(ctx: Context, queueId: string, deleted: boolean) {
    await queueCache.forget(queueId);
    broadcast(ctx, "queues.changed", { queue_id: queueId, deleted });
  }

  async function queueCommand(ctx: Context<unknown, CallMeta>, id: string, command: { type: "pause" | "resume" | "open" } | { type: "close"; reason: string }) {
    const doc = await operatedQueue(queueCache, currentUser(ctx), id, "change this queue's status");
    const reply = await sendCommand(ctx, String(doc._id), command);
    return { queue_id: String(doc._id), version: reply.version, events: reply.events.map((e) => e.type) };
  }
}
