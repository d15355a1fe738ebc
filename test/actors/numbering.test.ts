import assert from "node:assert/strict";
import fc from "fast-check";
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

  it("answers each instant's own day, whichever instants of the same zones came before it", () => {
    const zones = ["Africa/Dakar", "Africa/Nairobi", "America/New_York", "Asia/Kathmandu", "Africa/Monrovia"];
    const intlDay = (at: number, timeZone: string) => {
      const part = (type: string) => new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at).find((p) => p.type === type)!.value;
      return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
    };
    // Instants a few milliseconds either side of local midnights (New York's around a
    // change of clocks, Monrovia's from when its offset was -0:44:30), so that consecutive
    // ones share a second or straddle the day's first.
    const midnights = [Date.UTC(2025, 2, 10, 0, 0), Date.UTC(2025, 2, 9, 21, 0), Date.UTC(2025, 2, 9, 5, 0), Date.UTC(1971, 5, 1, 0, 44, 30)];
    const instant = fc.tuple(fc.constantFrom(...midnights), fc.integer({ min: -1500, max: 1500 })).map(([midnight, ms]) => midnight + ms);
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...zones)), { minLength: 1, maxLength: 30 }), (asked) => {
        for (const [at, zone] of asked) assert.equal(localDay(at, zone), intlDay(at, zone), `${new Date(at).toISOString()} in ${zone}`);
      }),
      { numRuns: 300 },
    );
  });
});
