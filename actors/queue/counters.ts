// Counters open and close during the day. A counter holding a ticket may not close:
// the ticket would be left called to nowhere.
import { accept, reject, setCounter } from "./outcome.ts";
import type { CommandOf, Counter, Decision, QueueState } from "./types.ts";

export function openCounter(state: QueueState, cmd: CommandOf<"open_counter">): Decision {
  const known = state.counters.find((c) => c.id === cmd.counter_id);
  if (known?.open) return reject("invalid_transition", `Counter ${known.name} cannot go from open to open.`);
  const counter: Counter = { id: cmd.counter_id, name: cmd.name, open: true, ticket_id: null };
  const counters = known ? setCounter(state.counters, counter.id, counter) : [...state.counters, counter];
  return accept(state, cmd.at, { counters }, [{ type: "counter.opened", counter }]);
}

export function closeCounter(state: QueueState, cmd: CommandOf<"close_counter">): Decision {
  const known = state.counters.find((c) => c.id === cmd.counter_id);
  if (!known) return reject("counter_not_found", `No counter ${cmd.counter_id} in this queue.`);
  if (!known.open) return reject("invalid_transition", `Counter ${known.name} cannot go from closed to closed.`);
  if (known.ticket_id !== null) {
    return reject("counter_has_ticket", `Counter ${known.name} holds ticket ${known.ticket_id}; finish or transfer it first.`);
  }
  const counter: Counter = { ...known, open: false };
  return accept(state, cmd.at, { counters: setCounter(state.counters, counter.id, counter) }, [{ type: "counter.closed", counter }]);
}
