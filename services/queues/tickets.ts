// Tickets as the API shows them, and who may see or act on which.
import { isStaffOf } from "../../mixins/api/authorize.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { NearPreference, QueueEvent, Ticket, TicketFee } from "../../actors/queue/index.ts";
import type { TicketDoc } from "../../actors/host/store.ts";
import type { QueueInfo } from "../../actors/host/host.ts";

/** The ticket a command changed, from its events (the latest version of it). */
export function ticketIn(events: QueueEvent[], ticketId?: string): Ticket | undefined {
  const found = events.filter((e): e is Extract<QueueEvent, { ticket: Ticket }> => "ticket" in e && (!ticketId || e.ticket.id === ticketId));
  return found[found.length - 1]?.ticket;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface WireTicket {
  id: string;
  queue_id: string;
  organization_id: string;
  branch_id: string | null;
  number: string;
  day: string;
  status: string;
  channel: string;
  priority: string;
  user_id: string | null;
  appointment_id: string | null;
  appointment_at: string | null;
  issued_at: string;
  called_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  counter_id: string | null;
  recalls: number;
  transferred_from: string | null;
  reason: string | null;
  notify_near: NearPreference | null;
  fee: TicketFee | null;
}

export function ticketToWire(ticket: Ticket, owner: { organization_id: string; branch_id: string | null }): WireTicket {
  return {
    ...ticket,
    organization_id: owner.organization_id,
    branch_id: owner.branch_id,
    appointment_at: iso(ticket.appointment_at),
    issued_at: iso(ticket.issued_at)!,
    called_at: iso(ticket.called_at),
    started_at: iso(ticket.started_at),
    finished_at: iso(ticket.finished_at),
    notify_near: ticket.notify_near ?? null,
    fee: ticket.fee ?? null,
  };
}

/** A read-model row as the ticket it holds, with where that ticket belongs. */
export function ticketOfRow(doc: TicketDoc): { ticket: Ticket; organization_id: string; branch_id: string | null } {
  const { _id, seq: _seq, organization_id, branch_id, ...fields } = doc;
  return { ticket: { id: _id, ...fields }, organization_id, branch_id };
}

export function storedTicketToWire(doc: TicketDoc): WireTicket {
  const { ticket, ...owner } = ticketOfRow(doc);
  return ticketToWire(ticket, owner);
}

/** The citizen who holds it, or staff of its organisation. */
export function canSeeTicket(user: AuthUser, ticket: { user_id: string | null; organization_id: string }): boolean {
  return ticket.user_id === user.id || isStaffOf(user, ticket.organization_id);
}

export const isQueueStaff = (user: AuthUser, queue: QueueInfo) => isStaffOf(user, queue.organization_id);
