// Tickets entering the queue: issued here, or transferred in from another queue with the
// number and issue time they already had, so a transfer never sends anyone to the back.
import { isInstant, localDay, nextNumber } from "./numbering.ts";
import { accept, findTicket, reject } from "./outcome.ts";
import type { CommandOf, Decision, NearPreference, QueueState, Ticket, TicketFee } from "./types.ts";

function refuseArrival(state: QueueState, ticketId: string): Decision | null {
  // A paused queue still hands out tickets: only calling stops.
  if (state.status === "closed") return reject("queue_closed", "The queue is closed; it takes no new tickets.");
  if (findTicket(state, ticketId)) return reject("duplicate_ticket", `Ticket ${ticketId} is already in this queue.`);
  return null;
}

const fresh = {
  status: "waiting", called_at: null, started_at: null, finished_at: null, counter_id: null, recalls: 0, reason: null,
} as const;

type Origin = Pick<Ticket, "id" | "channel" | "priority"> & Partial<Pick<Ticket, "user_id" | "appointment_id" | "appointment_at">> & {
  notify_near?: NearPreference | null;
  fee?: TicketFee | null;
};

/** A waiting ticket new to this queue: who it is for comes from `origin`, where it stands from `place`. */
function arrival(state: QueueState, origin: Origin, place: Pick<Ticket, "number" | "day" | "issued_at" | "transferred_from" | "transfers">): Ticket {
  return {
    id: origin.id,
    queue_id: state.queue_id,
    ...place,
    ...fresh,
    channel: origin.channel,
    priority: origin.priority,
    user_id: origin.user_id ?? null,
    appointment_id: origin.appointment_id ?? null,
    appointment_at: origin.appointment_at ?? null,
    ...(origin.notify_near && { notify_near: origin.notify_near }),
    ...(origin.fee && { fee: origin.fee }),
  };
}

export function issue(state: QueueState, cmd: CommandOf<"issue">): Decision {
  const refused = refuseArrival(state, cmd.ticket_id);
  if (refused) return refused;
  const { day, sequence, number } = nextNumber(state, cmd.at);
  const ticket = arrival(state, { ...cmd, id: cmd.ticket_id }, { number, day, issued_at: cmd.at, transferred_from: null });
  return accept(state, cmd.at, { day, sequence, tickets: [...state.tickets, ticket] }, [{ type: "ticket.issued", ticket }]);
}

export function transferIn(state: QueueState, cmd: CommandOf<"transfer_in">): Decision {
  const from = cmd.ticket;
  if (typeof from !== "object" || from === null || !isInstant(from.issued_at)) {
    return reject("invalid_command", "transfer_in needs the transferred ticket with its issued_at.");
  }
  const refused = refuseArrival(state, from.id);
  if (refused) return refused;
  const day = localDay(from.issued_at, state.policy.time_zone);
  const ticket = arrival(state, from, { number: from.number, day, issued_at: from.issued_at, transferred_from: cmd.from_queue_id, transfers: (from.transfers ?? 0) + 1 });
  const drafts = [{ type: "ticket.transferred_in", ticket, from_queue_id: cmd.from_queue_id } as const];
  // A ticket coming back from a transfer that did not go through is no longer on its way out.
  const outbound = (state.outbound ?? []).filter((o) => o.ticket.id !== from.id);
  return accept(state, cmd.at, { tickets: [...state.tickets, ticket], outbound }, drafts);
}
