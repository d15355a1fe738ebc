import assert from "node:assert/strict";
import { displayNumber, localDay } from "../../actors/queue/index.ts";
import { aQueue, eventOf, issue, MINUTE, MORNING, refusal, run } from "./queue-fixtures.ts";

const numbersOf = (events: ReturnType<typeof run>["events"]) =>
  events.filter((e) => e.type === "ticket.issued").map((e) => ("ticket" in e ? `${e.ticket.day} ${e.ticket.number}` : ""));

describe("queue actor: daily numbering", () => {
  it("numbers the first ticket of the day A-001", () => {
    const { events } = run(aQueue(), issue("t1"));
    assert.equal(eventOf(events, "ticket.issued").ticket.number, "A-001");
  });

  it("numbers tickets in sequence through the day", () => {
    const { events } = run(aQueue(), issue("t1"), issue("t2", MORNING + 1), issue("t3", MORNING + 2));
    assert.deepEqual(numbersOf(events), ["2025-03-10 A-001", "2025-03-10 A-002", "2025-03-10 A-003"]);
  });

  it("uses the queue's prefix", () => {
    const { events } = run(aQueue({ policy: { prefix: "CX" } }), issue("t1"));
    assert.equal(eventOf(events, "ticket.issued").ticket.number, "CX-001");
  });

  it("pads to three digits and keeps counting past 999", () => {
    assert.equal(displayNumber("A", 42), "A-042");
    assert.equal(displayNumber("B", 999), "B-999");
    assert.equal(displayNumber("B", 1000), "B-1000");
  });

  it("restarts at A-001 after local midnight in Dakar", () => {
    const beforeMidnight = Date.UTC(2025, 2, 10, 23, 59);
    const { state, events } = run(aQueue(), issue("t1", beforeMidnight), issue("t2", beforeMidnight + 2 * MINUTE));
    assert.deepEqual(numbersOf(events), ["2025-03-10 A-001", "2025-03-11 A-001"]);
    assert.equal(state.day, "2025-03-11");
    assert.equal(state.sequence, 1);
  });

  it("restarts at local midnight in Nairobi, three hours before UTC midnight", () => {
    const queue = aQueue({ policy: { time_zone: "Africa/Nairobi" } });
    const { events } = run(queue, issue("t1", Date.UTC(2025, 2, 10, 20, 59)), issue("t2", Date.UTC(2025, 2, 10, 21, 1)));
    assert.deepEqual(numbersOf(events), ["2025-03-10 A-001", "2025-03-11 A-001"]);
  });

  it("does not restart at UTC midnight in Nairobi", () => {
    const queue = aQueue({ policy: { time_zone: "Africa/Nairobi" } });
    const { events } = run(queue, issue("t1", Date.UTC(2025, 2, 10, 23, 59)), issue("t2", Date.UTC(2025, 2, 11, 0, 1)));
    assert.deepEqual(numbersOf(events), ["2025-03-11 A-001", "2025-03-11 A-002"]);
  });

  it("keeps counting on the current day when a clock steps back across midnight", () => {
    const afterMidnight = Date.UTC(2025, 2, 11, 0, 1);
    const { events } = run(aQueue(), issue("t1", afterMidnight), issue("t2", afterMidnight - 2 * MINUTE));
    assert.deepEqual(numbersOf(events), ["2025-03-11 A-001", "2025-03-11 A-002"]);
  });

  it("does not use up a number for a refused issue", () => {
    const { state } = run(aQueue(), issue("t1"));
    assert.equal(refusal(state, issue("t1", MORNING + 1)).code, "duplicate_ticket");
    const { events } = run(state, issue("t2", MORNING + 2));
    assert.equal(eventOf(events, "ticket.issued").ticket.number, "A-002");
  });

  it("gives the calendar day of an instant in a zone", () => {
    const instant = Date.UTC(2025, 11, 31, 22, 30);
    assert.equal(localDay(instant, "Africa/Dakar"), "2025-12-31");
    assert.equal(localDay(instant, "Africa/Nairobi"), "2026-01-01");
    assert.equal(localDay(instant, "America/New_York"), "2025-12-31");
  });
});
