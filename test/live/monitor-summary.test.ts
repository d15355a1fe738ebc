import assert from "node:assert/strict";
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { nextIdleAlertAt, summarize, type QueueView } from "../../services/live/monitor-summary.ts";

const MINUTE = 60_000;
const thresholds = { targetWaitMs: 15 * MINUTE, idleAlertMs: 5 * MINUTE };

function view(waiting: number, counterTicket: string | null, status: QueueSnapshot["status"] = "open", target_wait_ms: number | null = null): QueueView {
  return {
    queue: { id: "q1", organization_id: "o1", branch_id: null, name: "Caisse", target_wait_ms },
    snapshot: {
      queue_id: "q1",
      status,
      version: 1,
      day: "2026-12-02",
      waiting_count: waiting,
      now_serving: [],
      next: [],
      counters: [{ id: "c1", name: "Guichet 1", open: true, ticket_id: counterTicket }],
      estimate: { service_ms: 5 * MINUTE, basis: "expected", observed_services: 0 },
    },
  };
}

describe("live monitor summaries", () => {
  it("alerts for an idle counter once it has been idle the threshold while people wait, from when this node saw it", () => {
    const first = summarize(view(0, null), undefined, 0, thresholds);
    assert.deepEqual([first.counters[0].idle_since, first.waiting_since, first.alerts], [0, null, []]);
    const waiting = summarize(view(1, null), first, 2 * MINUTE, thresholds);
    assert.deepEqual(waiting.alerts, []);
    // People have waited since minute 2: the idle counter alerts at minute 7, not 5.
    assert.equal(nextIdleAlertAt(waiting, thresholds), 7 * MINUTE);
    assert.deepEqual(summarize(view(1, null), waiting, 7 * MINUTE, thresholds).alerts, [{ kind: "counter_idle", counter_id: "c1", idle_since: 0 }]);
  });

  it("raises no idle alert for a serving counter or a paused queue", () => {
    assert.equal(nextIdleAlertAt(summarize(view(3, "t1"), undefined, 0, thresholds), thresholds), null);
    const paused = summarize(view(3, null, "paused"), undefined, 0, thresholds);
    assert.deepEqual([paused.alerts, nextIdleAlertAt(paused, thresholds)], [[], null]);
  });

  it("alerts when the last waiting ticket's estimated wait passes the target", () => {
    assert.deepEqual(summarize(view(3, "t1"), undefined, 0, thresholds).alerts, []);
    assert.deepEqual(summarize(view(4, "t1"), undefined, 0, thresholds).alerts, [{ kind: "wait_over_target", estimated_wait_ms: 20 * MINUTE, target_wait_ms: 15 * MINUTE }]);
  });

  it("measures a queue with a target wait of its own against that target instead", () => {
    const ownTarget = summarize(view(4, "t1", "open", 25 * MINUTE), undefined, 0, thresholds);
    assert.deepEqual([ownTarget.target_wait_ms, ownTarget.alerts], [25 * MINUTE, []]);
    assert.deepEqual(summarize(view(3, "t1", "open", 10 * MINUTE), undefined, 0, thresholds).alerts, [{ kind: "wait_over_target", estimated_wait_ms: 15 * MINUTE, target_wait_ms: 10 * MINUTE }]);
  });
});
