// A kiosk ticket's phone number: the citizen has no account, only the number they gave at
// the kiosk, which is texted the ticket's tracker link, once that its turn is near (within
// the first TURN_NEAR_POSITION places), its calls ("présentez-vous au Guichet 1") and,
// once served, the link that rates it when RATING_LINK_CHANNELS lists sms.
// Kept under the ticket id (read by _id only: at each call of a ticket with no account, and
// at each new near place of one) while the ticket is open, and deleted when it ends: a
// phone number is personal data.
import { Schema, type Connection, type Model } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
import type { QueueChanged } from "../events.ts";

export interface SmsFollowUpDoc {
  _id: string; // the ticket id
  phone: string;
  organization_id: string | null;
  requested_by: string;
}

const followUpSchema = new Schema<SmsFollowUpDoc>(
  { _id: String, phone: { type: String, required: true }, organization_id: { type: String, default: null }, requested_by: { type: String, required: true } },
  { collection: "notification_sms_follow_ups", versionKey: false },
);

export const smsFollowUps = (db: Connection): Model<SmsFollowUpDoc> => modelOf(db, "NotificationSmsFollowUp", followUpSchema);

const CALLS = new Set(["ticket.called", "ticket.recalled"]);
const ENDS = new Set(["ticket.completed", "ticket.no_show", "ticket.cancelled", "ticket.expired"]);
/** After these a ticket never waits in this queue again. */
const LEFT = new Set([...ENDS, "ticket.transferred_out"]);

export interface CallToText {
  ticket_id: string;
  event: string;
  data: { number: string; counter: string };
  idempotency_key: string;
}

/** The calls of tickets with no account in a change: the ones a follow-up may text. */
export function callsOfAnonymousTickets(change: QueueChanged): CallToText[] {
  return change.events.flatMap((event) => {
    const ticket = event.ticket as { id: string; user_id: string | null; number?: unknown } | undefined;
    if (!ticket || ticket.user_id || !CALLS.has(event.type)) return [];
    const data = { number: String(ticket.number ?? ""), counter: event.counter_name ?? "" };
    return [{ ticket_id: ticket.id, event: event.type, data, idempotency_key: `queue:${change.queue_id}:${event.type}:${ticket.id}:v${event.version}` }];
  });
}

/** The tickets with no account that a change completed: the ones a follow-up may text the rating link. */
export const servedAnonymousTickets = (change: QueueChanged): Array<{ ticket_id: string; number: string }> =>
  change.events.flatMap((event) => (event.ticket && !event.ticket.user_id && event.type === "ticket.completed" ? [{ ticket_id: event.ticket.id, number: String(event.ticket.number ?? "") }] : []));

/** The tickets with no account that ended in a change: their numbers are forgotten. */
export const endedAnonymousTickets = (change: QueueChanged): string[] =>
  change.events.flatMap((event) => (event.ticket && !event.ticket.user_id && ENDS.has(event.type) ? [event.ticket.id] : []));

export interface NearToText {
  ticket_id: string;
  data: { number: string; position: number; minutes: number };
  /** Once per ticket: an SMS costs the office money. */
  idempotency_key: string;
}

/** Tickets with no account that come near, each looked up once per new place (this node's memory). */
export class NearAnonymousTickets {
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly nearPosition: number) {}

  observe(change: QueueChanged): NearToText[] {
    const key = (ticketId: string) => `${change.queue_id}/${ticketId}`;
    for (const event of change.events) if (event.ticket && LEFT.has(event.type)) this.seenAt.delete(key(event.ticket.id));
    const near: NearToText[] = [];
    for (const entry of change.next) {
      if (entry.user_id || entry.position > this.nearPosition || this.seenAt.get(key(entry.ticket_id)) === entry.position) continue;
      this.seenAt.set(key(entry.ticket_id), entry.position);
      const data = { number: entry.number, position: entry.position, minutes: Math.max(1, Math.ceil(entry.estimated_wait_ms / 60_000)) };
      near.push({ ticket_id: entry.ticket_id, data, idempotency_key: `queue:${change.queue_id}:turn_near:${entry.ticket_id}` });
    }
    return near;
  }
}
