// queues.trackers: a ticket followed without an account (trackers.ts). Its citizen or the
// organisation's staff (the kiosk, printing it, and texting it to a number the citizen
// gave) get the ticket's tracker link; whoever holds the link sees the ticket's place and
// counter, and may take it out of the queue.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { OPEN_STATUSES, type QueueSnapshot } from "../../actors/queue/index.ts";
import { hostStore } from "../../actors/host/store.ts";
import { currentUser, isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { toE164 } from "../accounts/phone.ts";
import type { NodeDeps } from "../node-deps.ts";
import { readView, sendCommand } from "./actor-calls.ts";
import { findQueue } from "./queue-access.ts";
import { queueCache as cachedQueues } from "./queue-cache.ts";
import * as S from "./schemas.ts";
import { ticketCommands } from "./ticket-commands.ts";
import { findTicket, type FoundTicket, type TicketView } from "./ticket-lookup.ts";
import { trackedTicket, trackerOf, trackers } from "./trackers.ts";

const REMEMBERED_CODES = 10_000;

export default function trackersService({ config, db }: NodeDeps): ServiceSchema {
  const store = trackers(db);
  const { tickets } = hostStore(db);
  let broker: ServiceBroker | undefined;
  const queueCache = cachedQueues(() => broker!);
  const { visibleTicket } = ticketCommands(tickets, queueCache);

  /** Codes seen on this node: a code names one ticket for ever, so its record is read once. */
  const ticketOfCode = new Map<string, string>();

  /** The ticket as it is now: from the owner of the queue it is said to be in, while it is open there (no database read), else found as any ticket is. */
  async function ticketNow(ctx: Context, ticketId: string, queueId: string | undefined): Promise<FoundTicket | null> {
    if (queueId) {
      const view = await readView<TicketView>(ctx, queueId, "ticket", ticketId);
      if (view.ticket && OPEN_STATUSES.has(view.ticket.status)) {
        const queue = await findQueue(queueCache, queueId);
        return { ...view, ticket: view.ticket, organization_id: queue.organization_id, branch_id: queue.branch_id };
      }
    }
    return findTicket(ctx, tickets, queueCache, ticketId);
  }

  /** The ticket behind a tracker code, as it is now (`queueId`: the queue it was last seen in). */
  async function trackedBy(ctx: Context, code: string, queueId?: string) {
    const ticketId = ticketOfCode.get(code) ?? (await store.findById(code).lean())?.ticket_id;
    const found = ticketId && (await ticketNow(ctx, ticketId, queueId));
    if (!found) throw errors.notFound("Ticket tracker");
    if (ticketOfCode.size >= REMEMBERED_CODES) ticketOfCode.delete(ticketOfCode.keys().next().value!);
    ticketOfCode.set(code, found.ticket.id);
    return found;
  }

  /** What the tracker shows of the ticket behind a code, and the queue it is in now. */
  async function trackedView(ctx: Context, code: string, queueId?: string) {
    const found = await trackedBy(ctx, code, queueId);
    const queue = await findQueue(queueCache, found.ticket.queue_id);
    const { counter_id: counterId, status } = found.ticket;
    const atCounter = counterId && status !== "waiting" ? (await readView<QueueSnapshot>(ctx, String(queue._id), "snapshot")).counters.find((c) => c.id === counterId) : undefined;
    return { queue_id: String(queue._id), ticket_id: found.ticket.id, ticket: trackedTicket(found, queue.name, atCounter?.name ?? null) };
  }

  /** The link by SMS (once per ticket and number), then the ticket's calls. The ticket stands if it cannot be sent: the kiosk prints it anyway. */
  async function textLink(ctx: Context<unknown, CallMeta>, found: FoundTicket, to: string, link: string) {
    try {
      const sent = await ctx.call<{ status: string }, object>("notifications.followTicketBySms", {
        ticket_id: found.ticket.id,
        to,
        organization_id: found.organization_id,
        requested_by: currentUser(ctx).id,
        number: found.ticket.number,
        link,
      });
      return { to, status: sent.status };
    } catch (err) {
      return { to, status: "not_sent", error: (err as { type?: string }).type ?? "unavailable" };
    }
  }

  return {
    name: "queues.trackers",
    settings: { rest: "/queues" },
    actions: {
      /** The ticket's tracker link, for its citizen or the organisation's staff, who may have it sent by SMS. */
      createTracker: {
        rest: "POST /tickets/:id/tracker",
        handler: validated(S.CreateTracker, async function (ctx) {
          const found = await visibleTicket(ctx, ctx.params.params.id);
          const smsTo = ctx.params.body?.sms_to;
          // Only the office texts a number it was given: a citizen has the link already.
          if (smsTo && !isStaffOf(currentUser(ctx), found.organization_id)) throw errors.forbidden("send a ticket's link by SMS");
          const to = smsTo && toE164(smsTo, config.defaultPhoneRegion, "body.sms_to");
          const code = await trackerOf(store, config.jwt.accessSecret, found.ticket.id);
          const path = `/t/${code}`;
          if (!to) return { code, path, sms: null };
          return { code, path, sms: await textLink(ctx, found, to, `${ctx.meta.request?.origin ?? ""}${path}`) };
        }),
      },
      /** For whoever holds the code: number, place, wait and counter; nothing personal. */
      showTracked: {
        rest: "GET /trackers/:code",
        anonymous: true,
        handler: validated(S.ByTracker, async function (ctx) {
          return (await trackedView(ctx, ctx.params.params.code)).ticket;
        }),
      },
      /** Internal, for the live tracker channel: the same, with the queue whose changes move it. */
      follow: {
        visibility: "public",
        handler: validated(S.FollowTracker, async function (ctx) {
          return trackedView(ctx, ctx.params.code, ctx.params.queue_id);
        }),
      },
      /** Whoever holds the code may take the ticket out of the queue until it has ended. */
      leaveQueue: {
        rest: "DELETE /trackers/:code",
        anonymous: true,
        handler: validated(S.ByTracker, async function (ctx) {
          const found = await trackedBy(ctx, ctx.params.params.code);
          if (!OPEN_STATUSES.has(found.ticket.status)) throw errors.queueRule("invalid_transition", `This ticket is ${found.ticket.status}: it is no longer in the queue.`);
          await sendCommand(ctx, found.ticket.queue_id, { type: "cancel", ticket_id: found.ticket.id, reason: "left the queue from its tracker" });
          return noContent(ctx);
        }),
      },
    },
    created() {
      broker = this.broker;
    },
  };
}
