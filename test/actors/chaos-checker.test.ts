import assert from "node:assert/strict";
import { checkHistory, type JournalCommit } from "../../load-tests/chaos/history-checker.ts";

const ticket = (id: string, number: string) => ({ id, number, day: "2026-12-01" });
const issued = (queue_id: string, seq: number, epoch: number, ...tickets: Array<ReturnType<typeof ticket>>): JournalCommit => ({
  queue_id, seq, epoch, events: tickets.map((t) => ({ type: "ticket.issued", ticket: t })),
});

describe("the chaos history checker", () => {
  it("passes a history the journal agrees with", () => {
    const commits = [issued("q", 1, 1, ticket("a", "A-001")), issued("q", 2, 2, ticket("b", "A-002")), { queue_id: "q", seq: 3, epoch: 2, events: [{ type: "ticket.called", ticket: ticket("a", "A-001") }] }];
    const report = checkHistory([{ key: "k1", queueId: "q", ticket: { id: "a", number: "A-001" } }, { key: "k2", queueId: "q", ticket: { id: "b", number: "A-002" } }], [{ queueId: "q", ticketId: "a" }], commits);
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.deepEqual([report.issued.found, report.calls.found], [2, 1]);
  });

  it("reports lost, duplicated and unexpected tickets, reused numbers, disorder, stale epochs and lost calls", () => {
    const commits = [
      issued("q", 1, 2, ticket("a", "A-001")),
      issued("q", 2, 1, ticket("a", "A-001"), ticket("x", "A-001")), // a stale tenure wrote after a newer one
    ];
    const report = checkHistory(
      [{ key: "k1", queueId: "q", ticket: { id: "a", number: "A-001" } }, { key: "k2", queueId: "q", ticket: { id: "gone", number: "A-009" } }, { key: "k3", queueId: "q", ticket: null }],
      [{ queueId: "q", ticketId: "never-called" }],
      commits,
    );
    assert.equal(report.ok, false);
    assert.deepEqual(report.issued.lost, ["gone"]);
    assert.deepEqual(report.issued.duplicated, ["a"]);
    assert.deepEqual(report.issued.unexpected, ["x"]);
    assert.equal(report.issued.unanswered, 1);
    assert.deepEqual(report.calls.lost, ["never-called"]);
    assert.equal(report.numbers_used_twice.length, 2);
    assert.equal(report.out_of_order.length, 2);
    assert.deepEqual(report.stale_writes, ["q#2: epoch 1 after 2"]);
  });
});
