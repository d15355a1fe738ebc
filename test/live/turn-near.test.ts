import assert from "node:assert/strict";
import type { QueueChanged } from "../../services/events.ts";
import { TurnNearTracker } from "../../actors/host/turn-near.ts";
import type { NearPreference } from "../../actors/queue/index.ts";

type Waiting = [ticketId: string, userId: string | null, position: number];

function aChange(waiting: Waiting[], events: QueueChanged["events"] = [], queueId = "q1"): QueueChanged {
  return {
    queue_id: queueId,
    organization_id: "o1",
    branch_id: null,
    from_version: 1,
    version: 1,
    events: events.length ? events : [{ type: "ticket.issued", queue_id: queueId, version: 1 }],
    next: waiting.map(([ticket_id, user_id, position]) => ({ ticket_id, number: `A-${ticket_id}`, user_id, position, estimated_wait_ms: position * 60_000 })),
    sent_at: 0,
  };
}

const finished = (type: string, ticketId: string) => ({ type, queue_id: "q1", version: 2, ticket: { id: ticketId, user_id: "u1" } });

describe("live turn-near tracker", () => {
  it("tells a user when their ticket reaches the near positions, with its place and wait", () => {
    const tracker = new TurnNearTracker(3);
    assert.deepEqual(tracker.observe(aChange([["t1", "u1", 4]])), []);
    assert.deepEqual(tracker.observe(aChange([["t1", "u1", 3]])), [
      { user_id: "u1", message: { type: "turn_near", ticket_id: "t1", number: "A-t1", queue_id: "q1", position: 3, estimated_wait_ms: 180_000 }, preference: null },
    ]);
  });

  it("follows a citizen's own choice: a farther place, or minutes of estimated wait", () => {
    const tracker = new TurnNearTracker(3);
    const withChoice = (change: QueueChanged, notify_near: NearPreference) => ({ ...change, next: change.next.map((e) => ({ ...e, notify_near })) });
    const byPlace = { by: "position", within: 6, channels: ["sms"] } as const satisfies NearPreference;
    assert.deepEqual(tracker.observe(withChoice(aChange([["t1", "u1", 7]]), byPlace)), []);
    assert.deepEqual(tracker.observe(withChoice(aChange([["t1", "u1", 6]]), byPlace)).map((n) => [n.message.position, n.preference]), [[6, byPlace]]);
    // Minutes: the fixture's wait is a minute per place; 2 minutes is nearer than the default 3 places.
    const byWait = { by: "minutes", within: 2, channels: ["push"] } as const satisfies NearPreference;
    assert.deepEqual(tracker.observe(withChoice(aChange([["t2", "u2", 3]]), byWait)), []);
    assert.deepEqual(tracker.observe(withChoice(aChange([["t2", "u2", 2]]), byWait)).map((n) => n.message.position), [2]);
  });

  it("tells again only when the position changes", () => {
    const tracker = new TurnNearTracker(3);
    assert.equal(tracker.observe(aChange([["t1", "u1", 2]])).length, 1);
    assert.equal(tracker.observe(aChange([["t1", "u1", 2]])).length, 0);
    assert.deepEqual(tracker.observe(aChange([["t1", "u1", 1]])).map((n) => n.message.position), [1]);
  });

  it("ignores tickets without an owner", () => {
    assert.deepEqual(new TurnNearTracker(3).observe(aChange([["t1", null, 1]])), []);
  });

  it("forgets a ticket once it is finished, whatever the way", () => {
    const tracker = new TurnNearTracker(3);
    const types = ["ticket.completed", "ticket.cancelled", "ticket.no_show", "ticket.transferred_out", "ticket.expired"];
    types.forEach((_, i) => tracker.observe(aChange([[`t${i}`, "u1", 1]])));
    assert.equal(tracker.size, types.length);
    types.forEach((type, i) => tracker.observe(aChange([], [finished(type, `t${i}`)])));
    assert.equal(tracker.size, 0);
  });

  it("keeps queues apart for a ticket that moves between them", () => {
    const tracker = new TurnNearTracker(3);
    tracker.observe(aChange([["t1", "u1", 2]], [], "q1"));
    assert.equal(tracker.observe(aChange([["t1", "u1", 2]], [], "q2")).length, 1);
  });
});
