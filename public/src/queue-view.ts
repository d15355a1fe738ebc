// A queue as a screen shows it, kept from the live channel: the snapshot, then each
// delta's events applied to it. Waiting tickets are kept in the queue's order where the
// events tell it (a normal ticket joins at the end); where they do not (a priority ticket
// or an appointment arrives, the visible list runs short), the view says it is stale and
// the page asks for a fresh snapshot.
import { waitFor } from "../../actors/queue/estimates.ts";
import { SNAPSHOT_NEXT } from "../../actors/queue/queries.ts";
import type { NowServing, QueueEvent, QueueSnapshot, Ticket } from "../../actors/queue/types.ts";

export type { QueueEvent, QueueSnapshot };

/** A ticket called (or called again) to a counter: what a screen announces. */
export interface Call {
  number: string;
  counter_name: string;
  at: number;
}

export interface Applied {
  view: QueueSnapshot;
  calls: Call[];
  /** The events do not tell enough to keep the waiting list right: ask for a snapshot. */
  stale: boolean;
}

const LEAVING = new Set(["ticket.completed", "ticket.no_show", "ticket.cancelled", "ticket.expired", "ticket.transferred_out"]);

export function applyEvents(before: QueueSnapshot, events: QueueEvent[], version: number): Applied {
  const view: QueueSnapshot = { ...before, version, now_serving: [...before.now_serving], next: [...before.next], counters: before.counters.map((c) => ({ ...c })) };
  const calls: Call[] = [];
  let stale = false;
  const leaveLine = (ticket: Ticket) => {
    const atCounter = view.now_serving.some((s) => s.ticket_id === ticket.id);
    view.now_serving = view.now_serving.filter((s) => s.ticket_id !== ticket.id);
    for (const counter of view.counters) if (counter.ticket_id === ticket.id) counter.ticket_id = null;
    if (atCounter) return;
    view.waiting_count = Math.max(0, view.waiting_count - 1);
    view.next = view.next.filter((w) => w.ticket_id !== ticket.id);
  };
  for (const event of events) {
    switch (event.type) {
      case "ticket.issued":
      case "ticket.transferred_in":
        view.waiting_count++;
        if (event.ticket.priority !== "normal" || event.ticket.appointment_id || event.type === "ticket.transferred_in") stale = true;
        else view.next.push({ ticket_id: event.ticket.id, number: event.ticket.number, position: 0, estimated_wait_ms: 0 });
        break;
      case "ticket.called":
      case "ticket.recalled": {
        const serving: NowServing = { counter_id: event.ticket.counter_id ?? "", counter_name: event.counter_name, ticket_id: event.ticket.id, number: event.ticket.number, status: "called" };
        if (!view.now_serving.some((s) => s.ticket_id === event.ticket.id)) leaveLine(event.ticket);
        view.now_serving = [...view.now_serving.filter((s) => s.counter_id !== serving.counter_id && s.ticket_id !== serving.ticket_id), serving];
        for (const counter of view.counters) if (counter.id === serving.counter_id) counter.ticket_id = serving.ticket_id;
        calls.push({ number: event.ticket.number, counter_name: event.counter_name, at: event.at });
        break;
      }
      case "ticket.started":
        view.now_serving = view.now_serving.map((s) => (s.ticket_id === event.ticket.id ? { ...s, status: "serving" } : s));
        break;
      case "counter.opened":
      case "counter.closed":
        view.counters = [...view.counters.filter((c) => c.id !== event.counter.id), { ...event.counter }];
        break;
      case "queue.paused":
        view.status = "paused";
        break;
      case "queue.resumed":
      case "queue.opened":
        view.status = "open";
        break;
      case "queue.closed":
        view.status = "closed";
        break;
      default:
        if (LEAVING.has(event.type) && "ticket" in event) leaveLine(event.ticket);
    }
  }
  if (view.next.length < Math.min(view.waiting_count, SNAPSHOT_NEXT)) stale = true;
  view.next = view.next.slice(0, SNAPSHOT_NEXT);
  const open = view.counters.filter((c) => c.open).length;
  view.next = view.next.map((w, i) => ({ ...w, position: i + 1, estimated_wait_ms: waitFor(i + 1, open, view.estimate.service_ms) }));
  return { view, calls, stale };
}

/** The wait of whoever joins now: behind everyone waiting. */
export const waitForNewcomer = (view: QueueSnapshot) => waitFor(view.waiting_count + 1, view.counters.filter((c) => c.open).length, view.estimate.service_ms);

/** "A-042" read out as "A 42": the prefix, then the number as a number. */
export function spokenNumber(number: string): string {
  const match = /^(.*?)-?0*(\d+)$/.exec(number);
  return match ? `${match[1]} ${match[2]}`.trim() : number;
}

/** "Ticket A 42, guichet 3": a counter named by a bare number is a guichet. */
export function announcement(call: Call, words: { callText: (number: string, counter: string) => string; counter: string }): string {
  const counter = /^\d+$/.test(call.counter_name.trim()) ? `${words.counter.toLowerCase()} ${call.counter_name.trim()}` : call.counter_name;
  return words.callText(spokenNumber(call.number), counter);
}
