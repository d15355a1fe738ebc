// "Leave now": a citizen holding a remote ticket (taken from their phone or by SMS, not at
// the office) who shares their way there is told to leave when the trip from where they
// last were, plus a margin, reaches the queue engine's estimate of the wait until they are
// called. Pure: the ticket, the trip and the margin are given.
import type { TicketNow } from "./ticket-status.ts";

/** Tickets whose holder is elsewhere when they take them. */
const REMOTE_CHANNELS = new Set(["mobile", "sms"]);

export function isRemoteWaiting(ticket: TicketNow): boolean {
  return REMOTE_CHANNELS.has(ticket.channel) && ticket.status === "waiting" && ticket.estimated_wait_ms !== null;
}

/** Time to leave: the trip and the margin take as long as the wait, or longer. */
export function leaveNowDue(ticket: TicketNow, travelS: number, marginMs: number): boolean {
  return isRemoteWaiting(ticket) && travelS * 1000 + marginMs >= ticket.estimated_wait_ms!;
}
