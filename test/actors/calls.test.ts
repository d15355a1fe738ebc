import assert from "node:assert/strict";
import { aQueue, counterIn, endedTicket, eventOf, issue, itRefuses, minutes, refusal, run, ticketIn } from "./queue-fixtures.ts";

const twoWaiting = () => run(aQueue({ counters: 2 }), issue("t1", minutes(0)), issue("t2", minutes(1))).state;
const calledT1 = () => run(twoWaiting(), { type: "call_next", counter_id: "c1", at: minutes(5) }).state;

describe("queue actor: call_next and call", () => {
  it("calls the next waiting ticket to the counter", () => {
    const { state, events } = run(twoWaiting(), { type: "call_next", counter_id: "c1", at: minutes(5) });
    const ticket = ticketIn(state, "t1");
    assert.equal(ticket?.status, "called");
    assert.equal(ticket?.counter_id, "c1");
    assert.equal(ticket?.called_at, minutes(5));
    assert.equal(counterIn(state, "c1")?.ticket_id, "t1");
    assert.deepEqual(eventOf(events, "ticket.called"), {
      type: "ticket.called", queue_id: "q1", version: state.version, at: minutes(5), ticket, counter_name: "Guichet 1",
    });
  });

  it("names on its events the staff member who gave the command, and nobody when none did", () => {
    const { events } = run(twoWaiting(), { type: "call_next", counter_id: "c1", at: minutes(5), by: "agent-7" });
    assert.equal(eventOf(events, "ticket.called")?.by, "agent-7");
    assert.equal("by" in eventOf(run(twoWaiting(), { type: "call_next", counter_id: "c1", at: minutes(5) }).events, "ticket.called")!, false);
  });

  it("calls a chosen waiting ticket out of order", () => {
    const { state } = run(twoWaiting(), { type: "call", ticket_id: "t2", counter_id: "c1" });
    assert.equal(ticketIn(state, "t2")?.status, "called");
    assert.equal(ticketIn(state, "t1")?.status, "waiting");
  });

  itRefuses({
    "call_next while the queue is paused": { given: twoWaiting, after: [{ type: "pause" }], when: { type: "call_next", counter_id: "c1" }, code: "queue_paused" },
    "to call a chosen ticket while the queue is paused": { given: twoWaiting, after: [{ type: "pause" }], when: { type: "call", ticket_id: "t1", counter_id: "c1" }, code: "queue_paused" },
    "to call on a closed queue": { given: twoWaiting, after: [{ type: "close" }], when: { type: "call_next", counter_id: "c1" }, code: "queue_closed" },
    "to call to an unknown counter": { given: twoWaiting, when: { type: "call_next", counter_id: "nope" }, code: "counter_not_found" },
    "to call to a closed counter": { given: twoWaiting, after: [{ type: "close_counter", counter_id: "c2" }], when: { type: "call_next", counter_id: "c2" }, code: "counter_closed" },
    "call_next to a counter that already has a ticket": { given: calledT1, when: { type: "call_next", counter_id: "c1" }, code: "counter_busy" },
    "to call a chosen ticket to a counter serving one": { given: calledT1, after: [{ type: "start", ticket_id: "t1" }], when: { type: "call", ticket_id: "t2", counter_id: "c1" }, code: "counter_busy" },
    "call_next when nobody is waiting": { given: aQueue, when: { type: "call_next", counter_id: "c1" }, code: "queue_empty" },
    "to call a ticket that is already called, naming both statuses": { given: calledT1, when: { type: "call", ticket_id: "t1", counter_id: "c2" }, code: "invalid_transition", says: /from called to called/ },
    "to call an unknown ticket": { given: twoWaiting, when: { type: "call", ticket_id: "nope", counter_id: "c1" }, code: "ticket_not_found" },
  });
});

describe("queue actor: recall and no_show", () => {
  it("recalls a called ticket with ticket.recalled, not ticket.called", () => {
    const { state, events } = run(calledT1(), { type: "recall", ticket_id: "t1", at: minutes(7) });
    assert.deepEqual(events.map((e) => e.type), ["ticket.recalled"]);
    assert.equal(eventOf(events, "ticket.recalled").counter_name, "Guichet 1");
    assert.equal(ticketIn(state, "t1")?.recalls, 1);
    assert.equal(ticketIn(state, "t1")?.called_at, minutes(7));
  });

  it("keeps the first call's time across recalls: it ended the wait", () => {
    const { state } = run(calledT1(), { type: "recall", ticket_id: "t1", at: minutes(7) }, { type: "recall", ticket_id: "t1", at: minutes(9) });
    assert.equal(ticketIn(state, "t1")?.first_called_at, minutes(5));
  });

  it("marks a no-show after the last recall, frees the counter and drops the ticket", () => {
    const { state, events } = run(calledT1(), { type: "recall", ticket_id: "t1" }, { type: "recall", ticket_id: "t1" }, { type: "no_show", ticket_id: "t1", at: minutes(9) });
    endedTicket(state, events, "ticket.no_show", minutes(9));
    assert.equal(counterIn(state, "c1")?.ticket_id, null);
  });

  it("allows a no-show at once when the policy owes no recalls", () => {
    const queue = aQueue({ policy: { max_recalls: 0 } });
    const { events } = run(queue, issue("t1"), { type: "call_next", counter_id: "c1" }, { type: "no_show", ticket_id: "t1" });
    assert.equal(eventOf(events, "ticket.no_show").ticket.id, "t1");
  });

  itRefuses({
    "to recall a waiting ticket": { given: twoWaiting, when: { type: "recall", ticket_id: "t1" }, code: "invalid_transition" },
    "a no-show while recalls remain": { given: calledT1, after: [{ type: "recall", ticket_id: "t1" }], when: { type: "no_show", ticket_id: "t1" }, code: "recalls_remaining" },
    "a no-show for a ticket being served": { given: calledT1, after: [{ type: "start", ticket_id: "t1" }], when: { type: "no_show", ticket_id: "t1" }, code: "invalid_transition" },
  });
});

describe("queue actor: start and complete", () => {
  it("starts serving a called ticket", () => {
    const { state, events } = run(calledT1(), { type: "start", ticket_id: "t1", at: minutes(6) });
    assert.equal(ticketIn(state, "t1")?.status, "serving");
    assert.equal(ticketIn(state, "t1")?.started_at, minutes(6));
    assert.equal(counterIn(state, "c1")?.ticket_id, "t1");
    assert.equal(eventOf(events, "ticket.started").ticket.status, "serving");
  });

  it("completes a served ticket, frees the counter and drops the ticket", () => {
    const { state, events } = run(calledT1(), { type: "start", ticket_id: "t1", at: minutes(6) }, { type: "complete", ticket_id: "t1", at: minutes(10) });
    endedTicket(state, events, "ticket.completed", minutes(10));
    assert.equal(counterIn(state, "c1")?.ticket_id, null);
  });

  it("names the queue's own target wait on ticket.completed, and none when it has none", () => {
    const served = (policy = {}) => {
      const queue = run(aQueue({ policy }), issue("t1"), { type: "call_next", counter_id: "c1" }, { type: "start", ticket_id: "t1" }).state;
      return eventOf(run(queue, { type: "complete", ticket_id: "t1" }).events, "ticket.completed");
    };
    assert.equal(served({ target_wait_ms: 1_200_000 }).target_wait_ms, 1_200_000);
    assert.equal("target_wait_ms" in served(), false);
  });

  itRefuses({
    "to start a waiting ticket": { given: twoWaiting, when: { type: "start", ticket_id: "t1" }, code: "invalid_transition", says: /from waiting to serving/ },
    "to complete a ticket that was called but not started": { given: calledT1, when: { type: "complete", ticket_id: "t1" }, code: "invalid_transition" },
    "to complete an unknown ticket": { given: calledT1, when: { type: "complete", ticket_id: "nope" }, code: "ticket_not_found" },
  });
});

describe("queue actor: cancel and transfer_out", () => {
  it("cancels a waiting ticket with its reason", () => {
    const { state, events } = run(twoWaiting(), { type: "cancel", ticket_id: "t2", reason: "left", at: minutes(3) });
    assert.equal(endedTicket(state, events, "ticket.cancelled", minutes(3)).reason, "left");
    assert.deepEqual(state.tickets.map((t) => t.id), ["t1"]);
  });

  it("says which place in line a waiting ticket left from, and none for a called one", () => {
    const left = run(twoWaiting(), { type: "cancel", ticket_id: "t2", at: minutes(3) }).events;
    assert.equal(eventOf(left, "ticket.cancelled")?.position, 2);
    const called = run(calledT1(), { type: "cancel", ticket_id: "t1", at: minutes(6) }).events;
    assert.equal("position" in eventOf(called, "ticket.cancelled")!, false);
  });

  it("frees the counter when a called ticket is cancelled", () => {
    const { state } = run(calledT1(), { type: "cancel", ticket_id: "t1" });
    assert.equal(counterIn(state, "c1")?.ticket_id, null);
  });

  it("transfers out a waiting ticket, carrying the whole ticket to the target", () => {
    const { state, events } = run(twoWaiting(), { type: "transfer_out", ticket_id: "t1", to_queue_id: "q2", at: minutes(4) });
    const event = eventOf(events, "ticket.transferred_out");
    assert.equal(event.to_queue_id, "q2");
    assert.equal(event.ticket.status, "transferred");
    assert.equal(event.ticket.number, "A-001");
    assert.equal(ticketIn(state, "t1"), undefined);
  });

  it("frees the counter when a called ticket is transferred out", () => {
    const { state } = run(calledT1(), { type: "transfer_out", ticket_id: "t1", to_queue_id: "q2" });
    assert.equal(counterIn(state, "c1")?.ticket_id, null);
  });

  it("keeps a transferred ticket on its way out until the target's arrival is settled", () => {
    const { state } = run(twoWaiting(), { type: "transfer_out", ticket_id: "t1", to_queue_id: "q2", at: minutes(4) });
    assert.deepEqual(state.outbound?.map((o) => [o.ticket.id, o.to_queue_id, o.at, o.ticket.status]), [["t1", "q2", minutes(4), "transferred"]]);
    const settled = run(state, { type: "transfer_settled", ticket_id: "t1", at: minutes(5) });
    assert.deepEqual(settled.state.outbound, []);
    assert.deepEqual(eventOf(settled.events, "transfer.settled"), { type: "transfer.settled", queue_id: "q1", version: state.version + 1, at: minutes(5), ticket_id: "t1", to_queue_id: "q2" });
    assert.equal(refusal(settled.state, { type: "transfer_settled", ticket_id: "t1" }).code, "ticket_not_found");
  });

  it("takes a ticket back, number and issue time kept, when its transfer did not go through", () => {
    const sent = run(twoWaiting(), { type: "transfer_out", ticket_id: "t1", to_queue_id: "q2", at: minutes(4) });
    const { ticket } = eventOf(sent.events, "ticket.transferred_out");
    const { state } = run(sent.state, { type: "transfer_in", ticket, from_queue_id: "q2", at: minutes(5) });
    assert.deepEqual(state.outbound, []);
    assert.deepEqual([ticketIn(state, "t1")?.number, ticketIn(state, "t1")?.issued_at, ticketIn(state, "t1")?.status], ["A-001", minutes(0), "waiting"]);
  });

  it("lets the target queue take the ticket from the transfer event alone", () => {
    const { events } = run(twoWaiting(), { type: "transfer_out", ticket_id: "t2", to_queue_id: "q2", at: minutes(4) });
    const { ticket } = eventOf(events, "ticket.transferred_out");
    const { state } = run(aQueue({ queue_id: "q2", policy: { prefix: "B" } }), { type: "transfer_in", ticket, from_queue_id: "q1", at: minutes(4) });
    const moved = ticketIn(state, "t2");
    assert.equal(moved?.queue_id, "q2");
    assert.equal(moved?.number, "A-002");
    assert.equal(moved?.issued_at, minutes(1));
    assert.equal(moved?.status, "waiting");
    assert.equal(moved?.finished_at, null);
  });

  itRefuses({
    "to cancel a ticket being served": { given: calledT1, after: [{ type: "start", ticket_id: "t1" }], when: { type: "cancel", ticket_id: "t1" }, code: "invalid_transition" },
    "to cancel an unknown ticket": { given: twoWaiting, when: { type: "cancel", ticket_id: "nope" }, code: "ticket_not_found" },
    "to transfer out a ticket being served": { given: calledT1, after: [{ type: "start", ticket_id: "t1" }], when: { type: "transfer_out", ticket_id: "t1", to_queue_id: "q2" }, code: "invalid_transition" },
    "to transfer a ticket to its own queue": { given: twoWaiting, when: { type: "transfer_out", ticket_id: "t1", to_queue_id: "q1" }, code: "invalid_command" },
  });
});
