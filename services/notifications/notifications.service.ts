// services/notifications: templates, the user's in-app inbox, staff SMS and e-mail, push
// tokens (push-tokens.service.ts), the delivery log with retries through the scheduler, and the notifications the
// queue engine's changes and other services (`notifications.notify`) ask for.
import { randomUUID } from "node:crypto";
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { currentUser, isPlatformAdmin, requireRole, STAFF_ROLES } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { takeRateSlot, windowEnd } from "../../mixins/db/rate-slots.ts";
import type { NodeDeps } from "../node-deps.ts";
import { paginateRows } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { toE164 } from "../accounts/phone.ts";
import { broadcast, listener } from "../events.ts";
import { Courier, onceId } from "./delivery.ts";
import { listDeliveryLog } from "./delivery-log.ts";
import { inboxOf, markInboxRead } from "./inbox.ts";
import { ContactCache } from "./contact-cache.ts";
import { directMessage, type DirectRequest } from "./direct-message.ts";
import { notify, summaryOf, type Contact, type NotifierDeps, type NotifyRequest } from "./notify.ts";
import { paymentReceived } from "./payment-notices.ts";
import { providersFrom, type Providers } from "./providers/from-config.ts";
import { PUSH_TOKENS } from "./push-tokens.service.ts";
import { QueueNotifications } from "./queue-events.ts";
import * as S from "./schemas.ts";
import { ensureNotificationsIndexes, notificationsStore, purgeExpiredClaims, type DeliveryDoc, type NotificationDoc, type PushDevice, type TemplateDoc } from "./store.ts";
import type { Template, TemplateFinder } from "./templates/catalog.ts";
import { deliveryToWire, notificationToWire } from "./wire.ts";
import { DEFAULT_LOCALE } from "./templates/events.ts";
import { render, type TemplateData } from "./templates/placeholders.ts";
import { KnownFollowUps } from "./known-follow-ups.ts";
import { callsOfAnonymousTickets, endedAnonymousTickets, NearAnonymousTickets, servedAnonymousTickets, smsFollowUps } from "./sms-follow-ups.ts";
import type { QueueChanged } from "../events.ts";

const INTERNAL = { visibility: "public" } as const;
const RETRY_ACTION = "notifications.retryDelivery";
const PURGE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 3600_000;
/** Far longer than any broadcast takes to reach every node. */
const QUEUE_REQUEST_CLAIM_MS = 24 * 3600_000;
const CONTACT_CACHE_MS = 5000;
/** How soon a node that missed a follow-up's broadcast learns of it (known-follow-ups.ts). */
const FOLLOW_UPS_RELOAD_MS = 10_000;
/** How often the first attempts' watches are read for overdue ones (at most; sooner when
 * NOTIFICATION_RETRY_DELAY_MS is shorter): a stranded SMS goes at most this late. */
const WATCH_SWEEP_MAX_MS = 5000;
const queueRequestId = (r: NotifyRequest) => onceId("queue", r.user_id, r.idempotency_key, (r.channels ?? []).join(","));
/** Whether that node runs this service, as this node's registry sees it. */
function runsNotifications(broker: ServiceBroker, nodeID: string): boolean {
  const services = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as Array<{ name: string; nodeID: string }>;
  return services.some((s) => s.name === "notifications" && s.nodeID === nodeID);
}
const NOTIFICATION_LIST = { searchFields: ["title", "body"], defaultOrdering: "-created_at" };
const deliveryPath = (id: string) => `/api/notifications/deliveries/${id}/`;

export default function notificationsService({ config, db, behind }: NodeDeps): ServiceSchema {
  const store = notificationsStore(db);
  /** What sending writes (claims, inbox, delivery log, rate places): behind the answers. */
  const sending = notificationsStore(behind);
  const followUps = smsFollowUps(db);
  const knownFollowUps = new KnownFollowUps(followUps);
  let followUpsTimer: NodeJS.Timeout | undefined;
  const settings = config.notifications;
  /** SMS costs the office per ticket served: the rating link goes by SMS only when listed. */
  const textsRatingLinks = config.analytics.ratingLink.channels.includes("sms");
  let nodeBroker: ServiceBroker | undefined;
  // Through the broker's cacher (templates.service.ts): no database read per message.
  const catalog: TemplateFinder = {
    find: (key, channel, locale) => nodeBroker!.call<Template | null, object>("notifications.templates.find", { key, channel, locale }),
  };
  const fromQueues = new QueueNotifications(config.live.turnNearPosition);
  const nearByNumber = new NearAnonymousTickets(config.live.turnNearPosition);
  const contacts = new ContactCache<Contact | null>(CONTACT_CACHE_MS);
  let providers: Providers | undefined;
  let courier: Courier | undefined;
  let notifier: NotifierDeps | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  let watchTimer: NodeJS.Timeout | undefined;
  const running = () => {
    if (!courier || !notifier || !providers) throw errors.unavailable("The notifications service");
    return { courier, notifier, providers };
  };

  async function ownNotification(ctx: Context<unknown, CallMeta>, id: string): Promise<NotificationDoc> {
    const doc = await store.notifications.findById(id).lean<NotificationDoc>();
    // Someone else's notification is reported as missing, not as forbidden.
    if (!doc || doc.user_id !== currentUser(ctx).id) throw errors.notFound("Notification");
    return doc;
  }

  /** Sending by hand on each channel: who may, the address as it is kept, the setting that enables it. */
  const HAND_SENT = {
    sms: { may: "send SMS", address: (to: string) => toE164(to, config.defaultPhoneRegion, "body.to"), channel: "SMS", setting: "SMS_PROVIDER" },
    email: { may: "send e-mail", address: (to: string) => to.toLowerCase(), channel: "E-mail", setting: "SMTP_URL" },
  };

  /** A staff member's message by hand: POST /send-sms, POST /send-email. */
  const sentByHand = (channel: keyof typeof HAND_SENT, schema: typeof S.SendSms | typeof S.SendEmail) => ({
    rest: `POST /send-${channel}`,
    handler: validated(schema, async function (ctx) {
      return sendDirect(ctx, channel, ctx.params.body);
    }),
  });

  /** A staff member sees the deliveries their organisation asked for; the platform admin names an organisation or a user (delivery-log.ts). */
  function deliveryScope(ctx: Context<unknown, CallMeta>): { organization_id: string | null } | Record<string, never> {
    const user = requireRole(ctx, STAFF_ROLES, "read the delivery log");
    return isPlatformAdmin(user) ? {} : { organization_id: user.organization_id };
  }

  return {
    name: "notifications",
    settings: { rest: "/notifications" },
    actions: {
      listNotifications: {
        rest: "GET /notifications",
        handler: validated(S.ListNotifications, async function (ctx) {
          const user = currentUser(ctx);
          const { is_read, event, ...page } = ctx.params.query;
          const kept = (doc: NotificationDoc) => (event === undefined || doc.event === event) && (is_read === undefined || (doc.read_at !== null) === is_read);
          return paginateRows(ctx, (await inboxOf(store.notifications, user.id)).filter(kept), page, NOTIFICATION_LIST, notificationToWire);
        }),
      },
      getNotification: {
        rest: "GET /notifications/:id",
        handler: validated(S.ById, async function (ctx) {
          return notificationToWire(await ownNotification(ctx, ctx.params.params.id));
        }),
      },
      markRead: {
        rest: "POST /notifications/:id/read",
        handler: validated(S.MarkRead, async function (ctx) {
          const doc = await ownNotification(ctx, ctx.params.params.id);
          if (doc.read_at) return notificationToWire(doc);
          const read_at = new Date();
          await store.notifications.updateOne({ _id: doc._id }, { $set: { read_at } });
          return notificationToWire({ ...doc, read_at });
        }),
      },
      markAllRead: {
        rest: "POST /notifications/read-all",
        handler: validated(S.MarkAllRead, async function (ctx) {
          const user = currentUser(ctx);
          return { marked_read: await markInboxRead(store.notifications, user.id, new Date()) };
        }),
      },

      sendSms: sentByHand("sms", S.SendSms),
      sendEmail: sentByHand("email", S.SendEmail),
      smsProviders: {
        rest: "GET /sms-providers",
        handler: validated(S.SmsProviders, async function (ctx) {
          requireRole(ctx, STAFF_ROLES, "see the SMS providers");
          const sms = running().providers.sms;
          const configured = sms ? [{ role: "primary", provider: sms.primary }, ...(sms.fallback ? [{ role: "fallback", provider: sms.fallback }] : [])] : [];
          return Promise.all(configured.map(async ({ role, provider }) => {
            const health = await provider.health();
            return { name: provider.name, role, healthy: health.ok, detail: health.detail ?? null, checked_at: new Date() };
          }));
        }),
      },

      listDeliveries: {
        rest: "GET /deliveries",
        handler: validated(S.ListDeliveries, async function (ctx) {
          return listDeliveryLog(ctx, store, deliveryScope(ctx), ctx.params.query);
        }),
      },
      getDelivery: {
        rest: "GET /deliveries/:id",
        handler: validated(S.ById, async function (ctx) {
          const scope = deliveryScope(ctx);
          const doc = await store.deliveries.findById(ctx.params.params.id).lean<DeliveryDoc>();
          if (!doc || ("organization_id" in scope && doc.organization_id !== scope.organization_id)) throw errors.notFound("Delivery");
          return deliveryToWire(doc);
        }),
      },

      /** The contract for other services and scheduled jobs: see README, "Notifications". */
      notify: {
        ...INTERNAL,
        handler: validated(S.Notify, async function (ctx) {
          return notify(running().notifier, ctx.params, { live: true });
        }),
      },
      /** A kiosk ticket's number, given by its citizen: texted the tracker link now, and the ticket's calls later. */
      followTicketBySms: {
        ...INTERNAL,
        handler: validated(S.FollowTicketBySms, async function (ctx) {
          const { ticket_id, to, organization_id, requested_by, number, link } = ctx.params;
          const phone = toE164(to, config.defaultPhoneRegion, "to");
          await followUps.updateOne({ _id: ticket_id }, { phone, organization_id, requested_by }, { upsert: true });
          knownFollowUps.add(ticket_id);
          broadcast(this.broker, "notifications.sms_follow_up.added", { ticket_id });
          const sent = await textNumber({ to: phone, event: "ticket.tracker", data: { number, link }, idempotency_key: `tracker:${ticket_id}`, organization_id, requested_by });
          return summaryOf(sent);
        }),
      },
      /** A retry the courier scheduled; a repeat or a late one changes nothing. */
      retryDelivery: {
        ...INTERNAL,
        handler: validated(S.RetryDelivery, async function (ctx) {
          const doc = await running().courier.retry(ctx.params.delivery_id, ctx.params.attempt);
          return doc && summaryOf(doc);
        }),
      },
    },
    events: {
      // Emitted to one node running this service, once per payment.
      "payments.succeeded": listener("payments.succeeded", async function (payment) {
        if (!notifier) return;
        try {
          await notify(notifier, paymentReceived(payment), { live: true });
        } catch (err) {
          this.logger.warn({ err, transaction_id: payment.transaction_id }, "notifications: a payment notice failed");
        }
      }),
      "notifications.sms_follow_up.added": listener("notifications.sms_follow_up.added", (added) => knownFollowUps.add(added.ticket_id)),
      "queue.changed": listener("queue.changed", function (change, ctx) {
        if (!notifier) return;
        // Every node hears the change. The node that made it does the work when it runs
        // this service (no write to agree on that: on FerretDB every write costs the
        // queues' own); else each node claims each request and the first claim wins.
        const sender = ctx.nodeID ?? this.broker.nodeID;
        const fromHere = sender === this.broker.nodeID;
        if (!fromHere && runsNotifications(this.broker, sender)) return;
        const requests = fromQueues.requests(change);
        const deps = notifier;
        // Returned, errors caught inside: Moleculer dispatches events without waiting, and
        // a broadcast made in this process resolves once this work is done.
        return (async () => {
          for (const request of requests) {
            try {
              if (!fromHere && !(await claimOnce(sending.queueRequests, queueRequestId(request), { expires_at: new Date(Date.now() + QUEUE_REQUEST_CLAIM_MS) }))) {
                fromQueues.carriedOut(request); // by the node that claimed it
                continue;
              }
              // Live already pushed these to the user's sockets (services/live).
              await notify(deps, request, { live: false });
              fromQueues.carriedOut(request);
            } catch (err) {
              fromQueues.failed(request);
              this.logger.warn({ err, key: request.idempotency_key }, "notifications: a queue notification failed");
            }
          }
          // Each delivery is claimed once per key and number: nodes that all get here send one SMS.
          await followUpByNumber(change).catch((err) => this.logger.warn({ err, queue_id: change.queue_id }, "notifications: an SMS follow-up failed"));
        })();
      }),
    },
    async started() {
      await ensureNotificationsIndexes(store);
      providers = providersFrom(settings, this.logger);
      const broker = this.broker;
      nodeBroker = broker;
      courier = new Courier({
        store: sending,
        providers,
        settings,
        logger: this.logger,
        forgetPushToken: (user_id, token) => broker.call(`${PUSH_TOKENS}.forget`, { user_id, token }),
        // An SMS or e-mail reaches the user's app too (push is on the device already).
        settled: (doc) => {
          if (doc.user_id && (doc.channel === "sms" || doc.channel === "email")) broadcast(broker, "notifications.delivered", { user_id: doc.user_id, delivery: deliveryToWire(doc) });
        },
        async scheduleRetry(delivery_id, attempt, at) {
          await broker.call("scheduler.schedule", {
            name: `call:${RETRY_ACTION}`,
            at: at.toISOString(),
            data: { action: RETRY_ACTION, params: { delivery_id, attempt } },
            key: `${RETRY_ACTION}:${delivery_id}:${attempt}`,
          });
        },
      });
      notifier = {
        store: sending,
        catalog,
        courier,
        // A queue's burst of changes asks for the same people again and again.
        devicesOf: async (id) => (await broker.call<{ devices: PushDevice[] } | null, { id: string }>(`${PUSH_TOKENS}.byId`, { id }))?.devices ?? [],
        contactOf: contacts.wrap((id) => broker.call<Contact | null, { id: string }>("accounts.contactOf", { id })),
        published: (doc) => broadcast(broker, "notifications.created", { user_id: doc.user_id, notification: notificationToWire(doc) }),
      };
      purgeTimer = setInterval(() => purgeExpiredClaims(store).catch((err) => this.logger.warn({ err }, "notifications: purge failed")), PURGE_EVERY_MS);
      purgeTimer.unref();
      let sweeping = false;
      watchTimer = setInterval(() => {
        if (sweeping || !courier) return;
        sweeping = true;
        courier.sweepWatches().catch((err) => this.logger.warn({ err }, "notifications: the overdue first attempts were not read")).finally(() => (sweeping = false));
      }, Math.min(settings.retryDelayMs, WATCH_SWEEP_MAX_MS));
      watchTimer.unref();
      await knownFollowUps.reload();
      followUpsTimer = setInterval(() => knownFollowUps.reload().catch((err) => this.logger.warn({ err }, "notifications: SMS follow-ups not read again")), FOLLOW_UPS_RELOAD_MS);
      followUpsTimer.unref();
    },
    async stopped() {
      clearInterval(purgeTimer);
      clearInterval(watchTimer);
      clearInterval(followUpsTimer);
      providers?.close();
      courier = undefined;
      notifier = undefined;
    },
  };

  /**
   * A message a staff member sends by hand. Agents send templates only; an admin may write
   * their own text. Each organisation has a daily cap, counted across nodes; every message
   * is in the delivery log with who asked for it (requested_by).
   */
  /** A system event by SMS to a number (E.164) with no account behind it, once per key and number. */
  async function textNumber(request: { to: string; event: string; data: TemplateData; idempotency_key: string; organization_id: string | null; requested_by: string }): Promise<DeliveryDoc> {
    const { courier } = running();
    if (!courier.canSend("sms")) throw errors.channelNotConfigured("SMS", "SMS_PROVIDER");
    const template = await catalog.find(request.event, "sms", DEFAULT_LOCALE);
    if (!template) throw errors.validation([{ path: "event", message: `no SMS template named ${request.event}` }]);
    const message = { subject: null, text: render(template.body, request.data), data: null };
    const { to, event, idempotency_key, organization_id, requested_by } = request;
    return courier.deliver({ channel: "sms", event, idempotency_key, user_id: null, recipient: to, message, organization_id, requested_by }, `number/${to}`);
  }

  /** Kiosk tickets whose citizen gave a number: their turn near, calls and (when SMS is a
   * rating link channel) the link that rates them once served texted; ended tickets'
   * numbers forgotten, whatever failed before. */
  async function followUpByNumber(change: QueueChanged): Promise<void> {
    try {
      for (const text of [...nearByNumber.observe(change).map((near) => ({ ...near, event: "turn_near" })), ...callsOfAnonymousTickets(change)]) {
        if (!knownFollowUps.has(text.ticket_id)) continue;
        const followUp = await followUps.findById(text.ticket_id).lean();
        if (followUp) await textNumber({ ...text, to: followUp.phone, organization_id: followUp.organization_id, requested_by: followUp.requested_by });
      }
      for (const { ticket_id, number } of textsRatingLinks ? servedAnonymousTickets(change) : []) {
        if (!knownFollowUps.has(ticket_id)) continue;
        const followUp = await followUps.findById(ticket_id).lean();
        if (!followUp) continue;
        const { link } = await nodeBroker!.call<{ link: string }, { ticket_id: string }>("analytics.kioskRatingLink", { ticket_id });
        // The key the served message of a citizen's ticket has: one message per ticket.
        await textNumber({ to: followUp.phone, event: "ticket.served", data: { number, link }, idempotency_key: `served:${ticket_id}`, organization_id: followUp.organization_id, requested_by: followUp.requested_by });
      }
    } finally {
      for (const ticketId of endedAnonymousTickets(change).filter((id) => knownFollowUps.has(id))) {
        await followUps.deleteOne({ _id: ticketId });
        knownFollowUps.remove(ticketId);
      }
    }
  }

  async function sendDirect(ctx: Context<unknown, CallMeta>, channel: keyof typeof HAND_SENT, body: DirectRequest & { to: string; idempotency_key?: string }) {
    const hand = HAND_SENT[channel];
    const user = requireRole(ctx, STAFF_ROLES, hand.may);
    const { courier } = running();
    const to = hand.address(body.to);
    if (!courier.canSend(channel)) throw errors.channelNotConfigured(hand.channel, hand.setting);
    const message = await directMessage(catalog, channel, body);
    if (message.event === "direct" && user.role === "agent") throw errors.forbidden("send a text of your own; use a template (GET /api/notifications/templates/)");
    const day = { limit: config.notifications.directPerDay, windowMs: DAY_MS };
    if (!(await takeRateSlot(store.rateSlots, `direct:${user.organization_id ?? "platform"}`, day))) {
      throw errors.dailyCapReached("hand-sent messages", day.limit, Math.ceil((windowEnd(day) - Date.now()) / 1000));
    }
    const idempotency_key = body.idempotency_key ?? ctx.meta.request?.idempotency_key ?? randomUUID();
    const doc = await running().courier.deliver(
      { channel, event: message.event, idempotency_key, user_id: null, recipient: to, message: { subject: message.subject, text: message.text, data: null }, organization_id: user.organization_id, requested_by: user.id },
      `direct/${user.id}/${to}`,
    );
    return created(ctx, deliveryPath(doc._id), deliveryToWire(doc));
  }
}
