// "Your turn is near": a citizen is told when one of their tickets comes near — as they
// chose on the ticket (a place, or minutes of wait), else within the first
// TURN_NEAR_POSITION places — and again each time its place changes, never twice for the
// same place. Every node keeps its own memory, fed by the same broadcast, so a citizen
// connected to any node is told the same things.
import { isNear, type NearPreference } from "../queue/index.ts";
import type { QueueChanged } from "./queue-changed.ts";

/** After these a ticket never waits again in this queue: its memory can go. */
export const FINAL_EVENTS = new Set(["ticket.cancelled", "ticket.no_show", "ticket.completed", "ticket.transferred_out", "ticket.expired"]);

export interface TurnNear {
  user_id: string;
  message: { type: "turn_near"; ticket_id: string; number: string; queue_id: string; position: number; estimated_wait_ms: number };
  /** The citizen's own choice, if they made one. */
  preference: NearPreference | null;
}

export class TurnNearTracker {
  /** Last position told, by queue and ticket (a transferred ticket keeps its id). */
  private readonly told = new Map<string, number>();

  constructor(private readonly nearPosition: number) {}

  observe(change: QueueChanged): TurnNear[] {
    const key = (ticketId: string) => `${change.queue_id}/${ticketId}`;
    for (const event of change.events) {
      if (event.ticket && FINAL_EVENTS.has(event.type)) this.told.delete(key(event.ticket.id));
    }
    const near: TurnNear[] = [];
    for (const entry of change.next) {
      const preference = entry.notify_near ?? null;
      if (!entry.user_id || !isNear(entry, preference, this.nearPosition) || this.told.get(key(entry.ticket_id)) === entry.position) continue;
      this.told.set(key(entry.ticket_id), entry.position);
      const { ticket_id, number, position, estimated_wait_ms } = entry;
      near.push({ user_id: entry.user_id, message: { type: "turn_near", ticket_id, number, queue_id: change.queue_id, position, estimated_wait_ms }, preference });
    }
    return near;
  }

  /** How many tickets are remembered; finished tickets must not stay. */
  get size(): number {
    return this.told.size;
  }
}
