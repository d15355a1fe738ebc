// A kiosk ticket's phone number: the citizen has no account, only the number they gave at
// the kiosk, which is texted the ticket's tracker link and then its calls ("présentez-vous
// au Guichet 1"). Kept under the ticket id (read by _id only, at each call of a ticket
// with no account) while the ticket is open, and deleted when it ends: a phone number is
// personal data.
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

/** The tickets with no account that ended in a change: their numbers are forgotten. */
export const endedAnonymousTickets = (change: QueueChanged): string[] =>
  change.events.flatMap((event) => (event.ticket && !event.ticket.user_id && ENDS.has(event.type) ? [event.ticket.id] : []));
