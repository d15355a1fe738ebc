// queues.trackers: a ticket followed without an account (trackers.ts). Its citizen or the
// organisation's staff (the kiosk, printing it) get the ticket's tracker link; whoever
// holds the link sees the ticket's place and counter, and may take it out of the queue.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { OPEN_STATUSES, type QueueSnapshot } from "../../actors/queue/index.ts";
import { hostStore } from "../../actors/host/store.ts";
import { errors } from "../../mixins/api/errors.ts";
import { noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import type { NodeDeps } from "../node-deps.ts";
import { readView, sendCommand } from "./actor-calls.ts";
import { findQueue } from "./queue-access.ts";
import { queueCache as cachedQueues } from "./queue-cache.ts";
import * as S from "./schemas.ts";
import { ticketCommands } from "./ticket-commands.ts";
import { findTicket } from "./ticket-lookup.ts";
import { trackedTicket, trackerOf, trackers } from "./trackers.ts";

export default function trackersService({ config, db }: NodeDeps): ServiceSchema {
  const store = trackers(db);
  const { tickets } = hostStore(db);
  let broker: ServiceBroker | undefined;
  const queueCache = cachedQueues(() => broker!);
  const { visibleTicket } = ticketCommands(tickets, queueCache);

  /** The ticket behind a tracker code, as it is now. */
  async function trackedBy(ctx: Context, code: string) {
    const tracker = await store.findById(code).lean();
    const found = tracker && (await findTicket(ctx, tickets, queueCache, tracker.ticket_id));
    if (!found) throw errors.notFound("Ticket tracker");
    return found;
  }

  return {
    name: "queues.trackers",
    settings: { rest: "/queues" },
    actions: {
      /** The ticket's tracker link, for its citizen or the organisation's staff. */
      createTracker: {
        rest: "POST /tickets/:id/tracker",
        handler: validated(S.TicketAction, async function (ctx) {
          const found = await visibleTicket(ctx, ctx.params.params.id);
          const code = await trackerOf(store, config.jwt.accessSecret, found.ticket.id);
          return { code, path: `/t/${code}` };
        }),
      },
      /** For whoever holds the code: number, place, wait and counter; nothing personal. */
      showTracked: {
        rest: "GET /trackers/:code",
        anonymous: true,
        handler: validated(S.ByTracker, async function (ctx) {
          const found = await trackedBy(ctx, ctx.params.params.code);
          const queue = await findQueue(queueCache, found.ticket.queue_id);
          const { counter_id: counterId, status } = found.ticket;
          const atCounter = counterId && status !== "waiting" ? (await readView<QueueSnapshot>(ctx, String(queue._id), "snapshot")).counters.find((c) => c.id === counterId) : undefined;
          return trackedTicket(found, queue.name, atCounter?.name ?? null);
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
