import assert from "node:assert/strict";
import { decide, type Command } from "../../actors/queue/index.ts";
import { aQueue, callSequence, eventOf, issue, minutes, MORNING, refusal, run, ticketIn } from "./queue-fixtures.ts";

describe("queue actor: issue and transfer_in", () => {
  it("issues a waiting ticket with the command's id, channel, priority and time", () => {
    const { state } = run(aQueue(), { type: "issue", ticket_id: "t1", channel: "mobile", priority: "elderly", user_id: "u1", at: minutes(3) });
    assert.deepEqual(ticketIn(state, "t1"), {
      id: "t1", queue_id: "q1", number: "A-001", day: "2025-03-10", status: "waiting", channel: "mobile", priority: "elderly",
      user_id: "u1", appointment_id: null, appointment_at: null, issued_at: minutes(3), called_at: null, started_at: null,
      finished_at: null, counter_id: null, recalls: 0, transferred_from: null, reason: null,
    });
  });

  it("announces the whole ticket with the queue id, the new version and the time", () => {
    const queue = aQueue();
    const { state, events } = run(queue, issue("t1", minutes(1)));
    assert.deepEqual(events, [{ type: "ticket.issued", queue_id: "q1", version: queue.version + 1, at: minutes(1), ticket: ticketIn(state, "t1") }]);
  });

  it("records an appointment check-in", () => {
    const { state } = run(aQueue(), issue("t1", MORNING, { appointment_id: "ap1", appointment_at: minutes(20) }));
    assert.equal(ticketIn(state, "t1")?.appointment_id, "ap1");
    assert.equal(ticketIn(state, "t1")?.appointment_at, minutes(20));
  });

  it("issues tickets while the queue is paused", () => {
    const { state } = run(aQueue(), { type: "pause" }, issue("t1"));
    assert.equal(ticketIn(state, "t1")?.status, "waiting");
  });

  it("refuses a ticket id that is already open in the queue", () => {
    const { state } = run(aQueue(), issue("t1"));
    assert.equal(refusal(state, issue("t1")).code, "duplicate_ticket");
  });

  it("refuses to issue on a closed queue", () => {
    const { state } = run(aQueue(), { type: "close" });
    assert.equal(refusal(state, issue("t1")).code, "queue_closed");
  });

  it("refuses a command whose time is not a calendar instant, without throwing", () => {
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY, 1e20]) {
      const decision = decide(aQueue(), { ...issue("t1"), at } as Command);
      assert.equal(decision.ok || decision.error.code, "invalid_command");
    }
  });

  it("refuses an unknown command type without throwing", () => {
    const decision = decide(aQueue(), { type: "teleport", at: MORNING } as unknown as Command);
    assert.equal(decision.ok || decision.error.code, "invalid_command");
  });

  const transferred = { id: "x1", number: "B-007", issued_at: minutes(-40), priority: "normal", channel: "mobile", user_id: "u9", appointment_id: null, appointment_at: null } as const;

  it("takes a transferred ticket with its number and original issue time", () => {
    const { state, events } = run(aQueue(), { type: "transfer_in", ticket: transferred, from_queue_id: "q0", at: minutes(5) });
    const ticket = ticketIn(state, "x1");
    assert.equal(ticket?.number, "B-007");
    assert.equal(ticket?.issued_at, minutes(-40));
    assert.equal(ticket?.status, "waiting");
    assert.equal(ticket?.transferred_from, "q0");
    assert.equal(ticket?.transfers, 1, "its first transfer");
    const again = run(aQueue(), { type: "transfer_in", ticket: { ...ticket!, id: "x2" }, from_queue_id: "q1", at: minutes(6) });
    assert.equal(ticketIn(again.state, "x2")?.transfers, 2, "counted on from what it carries");
    assert.deepEqual(eventOf(events, "ticket.transferred_in"), {
      type: "ticket.transferred_in", queue_id: "q1", version: state.version, at: minutes(5), ticket, from_queue_id: "q0",
    });
  });

  it("does not use a number of this queue for a transferred ticket", () => {
    const { events } = run(aQueue(), { type: "transfer_in", ticket: transferred, from_queue_id: "q0" }, issue("t1", minutes(1)));
    assert.equal(eventOf(events, "ticket.issued").ticket.number, "A-001");
  });

  it("calls a transferred ticket before tickets issued after its original issue time", () => {
    const { state } = run(aQueue(), issue("t1", minutes(-10)), { type: "transfer_in", ticket: transferred, from_queue_id: "q0", at: minutes(1) });
    assert.deepEqual(callSequence(state, minutes(2)), ["x1", "t1"]);
  });

  it("refuses to transfer in a ticket already open here", () => {
    const { state } = run(aQueue(), { type: "transfer_in", ticket: transferred, from_queue_id: "q0" });
    assert.equal(refusal(state, { type: "transfer_in", ticket: transferred, from_queue_id: "q0" }).code, "duplicate_ticket");
  });

  it("refuses to transfer a ticket into a closed queue", () => {
    const { state } = run(aQueue(), { type: "close" });
    assert.equal(refusal(state, { type: "transfer_in", ticket: transferred, from_queue_id: "q0" }).code, "queue_closed");
  });
});
