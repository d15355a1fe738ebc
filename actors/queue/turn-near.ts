// "Your turn is near", as each citizen chose it on their ticket: from a place in the line
// or from minutes of estimated wait, on their channels. A ticket without a choice follows
// the office's default place. The host announces, with every change, the first waiting
// tickets and any other whose own choice makes it near (queries.ts, `announced`).
import { accept, isRejected, replaceTicket, ticketFor } from "./outcome.ts";
import type { CommandOf, Decision, NearPreference, QueueState, Ticket, WaitingEntry } from "./types.ts";

/** Whether a waiting place is near for this preference (none: within `defaultPosition` places). */
export function isNear(place: Pick<WaitingEntry, "position" | "estimated_wait_ms">, preference: NearPreference | null | undefined, defaultPosition: number): boolean {
  if (!preference) return place.position <= defaultPosition;
  return preference.by === "position" ? place.position <= preference.within : place.estimated_wait_ms <= preference.within * 60_000;
}

export function setNotifyNear(state: QueueState, cmd: CommandOf<"set_notify_near">): Decision {
  const ticket = ticketFor(state, cmd.ticket_id, ["waiting"], "waiting");
  if (isRejected(ticket)) return ticket;
  const { notify_near: _previous, ...rest } = ticket;
  const changed: Ticket = cmd.notify_near ? { ...rest, notify_near: cmd.notify_near } : rest;
  return accept(state, cmd.at, { tickets: replaceTicket(state.tickets, changed) }, [{ type: "ticket.notify_near_set", ticket: changed }]);
}
