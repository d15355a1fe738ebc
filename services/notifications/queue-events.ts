// What the queue engine's broadcast (`queue.changed`) means for citizens: "you are called
// to counter N" (and called again), and "your turn is near" as the citizen chose it on
// their ticket, else when it reaches the first TURN_NEAR_POSITION places. Keys are made of the ticket, the event and its version or
// position, so every node hearing the same broadcast asks for the same notifications and
// the claims let one of them through.
import { FINAL_EVENTS, TurnNearTracker } from "../../actors/host/turn-near.ts";
import type { NearChannel } from "../../actors/queue/index.ts";
import type { QueueChanged } from "../events.ts";
import type { NotifyRequest } from "./notify.ts";

const CALLS = new Set(["ticket.called", "ticket.recalled"]);
const nearSmsKey = (queueId: string, ticketId: string) => `queue:${queueId}:turn_near:${ticketId}`;
/** Live already shows these on /ws/notifications/user/{id}; here: the inbox, push and SMS. */
const ON_THE_MOVE = ["in_app", "push", "sms"] as const;

export class QueueNotifications {
  /** Positions already seen on this node: a broadcast repeating a place asks for nothing. */
  private readonly turnNear: TurnNearTracker;
  /** The "turn near" SMS, one per ticket, by key: asked for and not yet carried out, and
   * carried out. One in flight or carried out is not asked for again at the ticket's next
   * places (each asking cost an insert refused as a duplicate and a read: in a busy office,
   * where a notification takes seconds, the most frequent read of all); one that failed is. */
  private readonly smsAsked = new Set<string>();
  private readonly smsSent = new Set<string>();

  constructor(nearPosition: number) {
    this.turnNear = new TurnNearTracker(nearPosition);
  }

  requests(change: QueueChanged): NotifyRequest[] {
    const out: NotifyRequest[] = [];
    for (const event of change.events) {
      if (event.ticket && FINAL_EVENTS.has(event.type)) this.forgetSms(nearSmsKey(change.queue_id, event.ticket.id));
    }
    for (const event of change.events) {
      const ticket = event.ticket as { id: string; user_id: string | null; number?: unknown } | undefined;
      if (!ticket?.user_id || !CALLS.has(event.type)) continue;
      out.push({
        user_id: ticket.user_id,
        event: event.type,
        data: { number: String(ticket.number ?? ""), counter: event.counter_name ?? "" },
        idempotency_key: `queue:${change.queue_id}:${event.type}:${ticket.id}:v${event.version}`,
        channels: ON_THE_MOVE,
      });
    }
    for (const { user_id, message, preference } of this.turnNear.observe(change)) {
      const data = { number: message.number, position: message.position, minutes: Math.max(1, Math.ceil(message.estimated_wait_ms / 60_000)) };
      const ticketKey = nearSmsKey(change.queue_id, message.ticket_id);
      // Each new place reaches the inbox and the phone's notifications; the SMS, which
      // costs money, goes once. A citizen who chose their channels hears on those only.
      const chosen = (channels: readonly NearChannel[]) => (preference ? channels.filter((c) => preference.channels.includes(c)) : channels);
      const everyPlace = chosen(["in_app", "push"]);
      const once = chosen(["sms"]);
      if (everyPlace.length) out.push({ user_id, event: "turn_near", data, idempotency_key: `${ticketKey}:p${message.position}`, channels: everyPlace });
      if (once.length && !this.smsSent.has(ticketKey) && !this.smsAsked.has(ticketKey)) {
        this.smsAsked.add(ticketKey);
        out.push({ user_id, event: "turn_near", data, idempotency_key: ticketKey, channels: once });
      }
    }
    return out;
  }

  /** A request was carried out (by this node, or claimed by another). */
  carriedOut(request: NotifyRequest): void {
    if (this.smsAsked.delete(request.idempotency_key)) this.smsSent.add(request.idempotency_key);
  }

  /** A request failed: its SMS is asked for again at the ticket's next place. */
  failed(request: NotifyRequest): void {
    this.smsAsked.delete(request.idempotency_key);
  }

  private forgetSms(key: string): void {
    this.smsAsked.delete(key);
    this.smsSent.delete(key);
  }
}
