// The updates the displays benchmark publishes: for each queue in turn, one delta holding a
// real `ticket.called` event (made by the queue's own state machine, so the message has
// the size and shape a screen really gets), with versions that follow on per queue and
// the publisher's send time in `sent_at` (epoch ms, sub-millisecond: receivers on the same
// machine subtract it from their own clock).
import { decide, initialState, type QueueEvent } from "../../actors/queue/index.ts";

export interface DeltaMessage {
  type: "delta";
  queue_id: string;
  from_version: number;
  version: number;
  events: QueueEvent[];
  sent_at: number;
}

function calledEvent(): QueueEvent {
  const at = Date.UTC(2025, 2, 10, 9, 30);
  let state = initialState({ queue_id: "template" });
  for (const command of [
    { type: "open_counter", counter_id: "c1", name: "Guichet 3", at },
    { type: "issue", ticket_id: "t1", channel: "kiosk", priority: "normal", at, appointment_at: null },
  ] as const) {
    const decision = decide(state, command);
    if (!decision.ok) throw new Error(decision.error.message);
    state = decision.state;
  }
  const called = decide(state, { type: "call_next", counter_id: "c1", at: at + 60_000 });
  if (!called.ok) throw new Error(called.error.message);
  return called.events[0]!;
}

export class DeltaSource {
  private readonly template = calledEvent();
  private readonly versions: number[];
  private turn = 0;

  /** `versions[i]`: the version queue i's screens hold now (0 where no snapshot is involved). */
  constructor(readonly queueIds: string[], versions: number[] = queueIds.map(() => 0)) {
    this.versions = [...versions];
  }

  /** The next update, round-robin over the queues; returns the queue's index with it. */
  next(): { index: number; delta: DeltaMessage } {
    const index = this.turn++ % this.queueIds.length;
    const queueId = this.queueIds[index]!;
    const version = ++this.versions[index]!;
    const event = { ...this.template, queue_id: queueId, version } as QueueEvent;
    const delta: DeltaMessage = { type: "delta", queue_id: queueId, from_version: version, version, events: [event], sent_at: performance.timeOrigin + performance.now() };
    return { index, delta };
  }
}
