// A queue's status as the public sees it: numbers, places and waits, but not which ticket
// ids stand behind them. A ticket id is what its owner and the organisation's staff use to
// act on it; nobody else needs it (screens show numbers).
import type { QueueSnapshot } from "../../actors/queue/types.ts";

export function publicStatus(view: QueueSnapshot) {
  return {
    ...view,
    now_serving: view.now_serving.map(({ ticket_id: _, ...serving }) => serving),
    next: view.next.map(({ ticket_id: _, ...waiting }) => waiting),
    counters: view.counters.map(({ ticket_id: _, ...counter }) => counter),
  };
}
