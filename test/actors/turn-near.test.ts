// A citizen's own "turn near" on their ticket (actors/queue/turn-near.ts): kept on the
// ticket, changed while it waits, and announced with each change when it makes the ticket
// near, however far down the line.
import assert from "node:assert/strict";
import { announced, isNear, type NearPreference } from "../../actors/queue/index.ts";
import { aQueue, eventOf, issue, MORNING, refusal, run, ticketIn } from "./queue-fixtures.ts";

const bySms = { by: "position", within: 4, channels: ["sms"] } as const satisfies NearPreference;

describe("queue actor: the citizen's turn near", () => {
  it("is near within the chosen place or minutes, else within the office's default place", () => {
    const place = { position: 4, estimated_wait_ms: 12 * 60_000 };
    assert.equal(isNear(place, null, 3), false);
    assert.equal(isNear(place, null, 4), true);
    assert.equal(isNear(place, { by: "position", within: 4, channels: ["push"] }, 1), true);
    assert.equal(isNear(place, { by: "minutes", within: 11, channels: ["push"] }, 10), false);
    assert.equal(isNear(place, { by: "minutes", within: 12, channels: ["push"] }, 1), true);
  });

  it("keeps the choice made when the ticket was taken, and lets it change or go while the ticket waits", () => {
    const { state } = run(aQueue(), issue("t1", MORNING, { notify_near: bySms }), issue("t2"));
    assert.deepEqual(ticketIn(state, "t1")?.notify_near, bySms);
    assert.equal(ticketIn(state, "t2")?.notify_near, undefined, "no choice: the office's default");
    const byWait = { by: "minutes", within: 20, channels: ["push", "in_app"] } as const satisfies NearPreference;
    const changed = run(state, { type: "set_notify_near", ticket_id: "t2", notify_near: byWait });
    assert.deepEqual(eventOf(changed.events, "ticket.notify_near_set").ticket.notify_near, byWait);
    const dropped = run(changed.state, { type: "set_notify_near", ticket_id: "t1", notify_near: null });
    assert.equal(ticketIn(dropped.state, "t1")?.notify_near, undefined);
  });

  it("refuses a change for a ticket that no longer waits, or is not here", () => {
    const { state } = run(aQueue(), issue("t1"), { type: "call_next", counter_id: "c1" });
    assert.equal(refusal(state, { type: "set_notify_near", ticket_id: "t1", notify_near: bySms }).code, "invalid_transition");
    assert.equal(refusal(state, { type: "set_notify_near", ticket_id: "nope", notify_near: bySms }).code, "ticket_not_found");
  });

  it("announces the first tickets, and any further one its citizen's choice makes near", () => {
    const steps = ["t1", "t2", "t3", "t4", "t5"].map((id) => issue(id));
    const { state } = run(aQueue(), ...steps, issue("t6", MORNING, { notify_near: { by: "position", within: 6, channels: ["sms"] } }), issue("t7", MORNING, { notify_near: bySms }));
    const entries = announced(state, state.tickets[0]!.issued_at, 2);
    assert.deepEqual(entries.map((e) => [e.ticket_id, e.position]), [["t1", 1], ["t2", 2], ["t6", 6]]);
    assert.deepEqual(entries[2]!.notify_near, { by: "position", within: 6, channels: ["sms"] });
    assert.equal(entries[0]!.notify_near, null);
  });
});
