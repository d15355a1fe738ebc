import assert from "node:assert/strict";
import { initialState } from "../../actors/queue/index.ts";
import { aQueue, eventOf, issue, minutes, refusal, run, ticketIn } from "./queue-fixtures.ts";

describe("queue actor: pause, resume, close, open", () => {
  it("pauses and resumes an open queue", () => {
    const paused = run(aQueue(), { type: "pause" });
    assert.equal(paused.state.status, "paused");
    assert.deepEqual(paused.events.map((e) => e.type), ["queue.paused"]);
    const resumed = run(paused.state, { type: "resume" });
    assert.equal(resumed.state.status, "open");
    assert.deepEqual(resumed.events.map((e) => e.type), ["queue.resumed"]);
  });

  it("refuses to pause a paused queue, naming both statuses", () => {
    const { state } = run(aQueue(), { type: "pause" });
    const error = refusal(state, { type: "pause" });
    assert.equal(error.code, "invalid_transition");
    assert.match(error.message, /from paused to paused/);
  });

  it("refuses to resume a queue that is not paused", () => {
    assert.equal(refusal(aQueue(), { type: "resume" }).code, "invalid_transition");
  });

  it("expires every waiting ticket when the queue closes", () => {
    const { state, events } = run(aQueue(), issue("t1"), issue("t2"), { type: "close", at: minutes(600) });
    assert.equal(state.status, "closed");
    assert.deepEqual(state.tickets, []);
    const expired = events.filter((e) => e.type === "ticket.expired").map((e) => ("ticket" in e ? e.ticket : null));
    assert.deepEqual(expired.map((t) => [t?.id, t?.status, t?.reason, t?.finished_at]), [
      ["t1", "expired", "queue closed", minutes(600)],
      ["t2", "expired", "queue closed", minutes(600)],
    ]);
    assert.equal(eventOf(events, "queue.closed").reason, "queue closed");
  });

  it("gives expired tickets the reason the queue was closed for", () => {
    const { events } = run(aQueue(), issue("t1"), { type: "close", reason: "power cut" });
    assert.equal(eventOf(events, "ticket.expired").ticket.reason, "power cut");
  });

  it("keeps called and serving tickets until they are finished after closing", () => {
    const { state } = run(
      aQueue({ counters: 2 }),
      issue("t1"), issue("t2"), issue("t3"),
      { type: "call_next", counter_id: "c1" }, { type: "start", ticket_id: "t1" },
      { type: "call_next", counter_id: "c2" },
      { type: "close" },
    );
    assert.deepEqual(state.tickets.map((t) => [t.id, t.status]), [["t1", "serving"], ["t2", "called"]]);
    const done = run(state, { type: "complete", ticket_id: "t1" }, { type: "start", ticket_id: "t2" }, { type: "complete", ticket_id: "t2" });
    assert.deepEqual(done.state.tickets, []);
  });

  it("versions every event of one command alike", () => {
    const { state, events } = run(aQueue(), issue("t1"), issue("t2"), { type: "close" });
    assert.deepEqual(events.slice(2).map((e) => e.version), [state.version, state.version, state.version]);
  });

  it("refuses to close a closed queue", () => {
    const { state } = run(aQueue(), { type: "close" });
    assert.equal(refusal(state, { type: "close" }).code, "invalid_transition");
  });

  it("closes a paused queue", () => {
    const { state } = run(aQueue(), { type: "pause" }, { type: "close" });
    assert.equal(state.status, "closed");
  });

  it("reopens a closed queue", () => {
    const { state, events } = run(aQueue(), { type: "close" }, { type: "open" }, issue("t1"));
    assert.equal(state.status, "open");
    assert.equal(events.filter((e) => e.type === "queue.opened").length, 1);
    assert.equal(ticketIn(state, "t1")?.status, "waiting");
  });

  it("refuses to open a queue that is not closed", () => {
    assert.equal(refusal(aQueue(), { type: "open" }).code, "invalid_transition");
  });

  it("opens for the day only a queue closed before the day's opening time", () => {
    const closedLastNight = run(aQueue(), { type: "close", at: minutes(-600) }).state;
    assert.equal(closedLastNight.closed_at, minutes(-600));
    const opened = run(closedLastNight, { type: "open", at: minutes(5), if_closed_before: minutes(0) }).state;
    assert.equal(opened.status, "open");
    assert.equal(opened.closed_at, undefined, "an open queue has no closing time");
    const closedByHand = run(opened, { type: "close", at: minutes(30) }).state;
    const refused = refusal(closedByHand, { type: "open", at: minutes(35), if_closed_before: minutes(0) });
    assert.equal(refused.code, "invalid_transition");
    assert.match(refused.message, /closed since/);
    assert.equal(run(closedByHand, { type: "open", at: minutes(40) }).state.status, "open", "an agent may still open it");
  });
});

describe("queue actor: configure", () => {
  it("changes the policy and announces the whole new policy", () => {
    const { state, events } = run(aQueue(), { type: "configure", policy: { prefix: "B", head_start_ms: { vip: 0 } } });
    assert.equal(state.policy.prefix, "B");
    assert.equal(state.policy.head_start_ms.vip, 0);
    assert.equal(state.policy.head_start_ms.elderly, 10 * 60_000);
    assert.deepEqual(eventOf(events, "queue.configured").policy, state.policy);
  });

  it("refuses an unknown time zone", () => {
    assert.equal(refusal(aQueue(), { type: "configure", policy: { time_zone: "Africa/Atlantis" } }).code, "invalid_policy");
  });

  it("takes a target wait, and refuses one of zero", () => {
    assert.equal(run(aQueue(), { type: "configure", policy: { target_wait_ms: 1_200_000 } }).state.policy.target_wait_ms, 1_200_000);
    assert.equal(refusal(aQueue(), { type: "configure", policy: { target_wait_ms: 0 } }).code, "invalid_policy");
  });

  it("refuses a negative head start", () => {
    assert.equal(refusal(aQueue(), { type: "configure", policy: { head_start_ms: { elderly: -1 } } }).code, "invalid_policy");
  });

  it("starts with the default policy for Dakar", () => {
    const state = initialState({ queue_id: "q1" });
    assert.equal(state.policy.time_zone, "Africa/Dakar");
    assert.equal(state.policy.max_recalls, 2);
    assert.deepEqual(state.policy.head_start_ms, { normal: 0, elderly: 600_000, pregnant: 600_000, disabled: 600_000, vip: 900_000 });
    assert.equal(state.policy.appointment_head_start_ms, 1_800_000);
    assert.equal(state.policy.appointment_window_ms, 600_000);
    assert.equal(state.policy.default_service_ms, 300_000);
  });

  it("will not start a queue with an unusable policy", () => {
    assert.throws(() => initialState({ queue_id: "q1", policy: { time_zone: "Nowhere/Here" } }), RangeError);
  });
});
