// A ticket's id names the queue it was issued in: "<queue id>-<unique id>". Its read-model
// row is written behind the acknowledgement, so a ticket taken a moment ago may not be
// there yet; the id alone says which queue's owner to ask about it.
import { Types } from "mongoose";

const TICKET_ID = /^([a-f\d]{24})-[a-f\d]{24}$/i;

/** `unique` lets a caller make the id repeatable (a check-in's claimed id). */
export function newTicketId(queueId: string, unique = new Types.ObjectId().toHexString()): string {
  return `${queueId}-${unique}`;
}

/** The queue a ticket was issued in; null for an id that is not a ticket id. */
export function issuingQueueOf(ticketId: string): string | null {
  return TICKET_ID.exec(ticketId)?.[1] ?? null;
}
