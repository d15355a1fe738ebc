// Ticket trackers: how a citizen follows a ticket without an account, from the kiosk's QR
// code or an SMS link (/t/{code}). A ticket id names its queue and can be guessed from
// others, so the link carries a code of its own: 128 bits of an HMAC of the ticket id,
// which only the server can make, the same for a ticket every time it is asked for.
// A tracker shows the number, place and wait, and the counter once called; nothing that
// says who the citizen is. Stored under the code as _id: the only way it is ever read.
import { createHmac } from "node:crypto";
import { Schema, type Connection, type Model } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { modelOf } from "../../mixins/db/models.ts";
import type { FoundTicket } from "./ticket-lookup.ts";

export interface TrackerDoc {
  _id: string; // the code
  ticket_id: string;
  created_at: Date;
}

export const TRACKER_CODE = /^[A-Za-z0-9_-]{22}$/;

const trackerSchema = new Schema<TrackerDoc>(
  { _id: String, ticket_id: { type: String, required: true }, created_at: { type: Date, required: true } },
  { collection: "ticket_trackers", versionKey: false },
);

export const trackers = (db: Connection): Model<TrackerDoc> => modelOf(db, "TicketTracker", trackerSchema);

export const trackerCode = (secret: string, ticketId: string) => createHmac("sha256", secret).update(`tracker:${ticketId}`).digest("base64url").slice(0, 22);

/** The ticket's code, stored the first time it is asked for. */
export async function trackerOf(model: Model<TrackerDoc>, secret: string, ticketId: string): Promise<string> {
  const code = trackerCode(secret, ticketId);
  await claimOnce(model, code, { ticket_id: ticketId, created_at: new Date() });
  return code;
}

/** What the tracker page shows of a ticket. */
export function trackedTicket(found: FoundTicket, queueName: string, counterName: string | null) {
  const { ticket } = found;
  const waiting = ticket.status === "waiting";
  const atCounter = ticket.status === "called" || ticket.status === "serving";
  return {
    number: ticket.number,
    queue_name: queueName,
    status: ticket.status,
    position: waiting ? found.position : null,
    estimated_wait_seconds: waiting && found.estimated_wait_ms !== null ? Math.round(found.estimated_wait_ms / 1000) : null,
    counter_name: atCounter ? counterName : null,
    called_at: ticket.called_at === null ? null : new Date(ticket.called_at).toISOString(),
  };
}
