// The order in which a queue's changes reach the counting (change-sequencer.ts): a change
// that does not follow the last one waits for the commits in between, read back from the
// journal; one already counted is dropped; the first one heard is checked against the
// queue's mark. The journal and the mark are given here as plain data: the real journal
// and a real killed node are in killed-counter.test.ts.
import assert from "node:assert/strict";
import { ChangeSequencer, REPLAY_MAX_COMMITS, type Mark, type ReadBackCommit } from "../../services/analytics/change-sequencer.ts";
import type { QueueChanged } from "../../services/events.ts";

const QUEUE = "q1";

/** Commit `seq` of the queue: two events, versions 2·seq − 1 and 2·seq. */
function commit(seq: number): ReadBackCommit {
  const event = (version: number) => ({ type: "ticket.issued", queue_id: QUEUE, version, at: 1_000 * version, ticket: { id: `t${version}`, user_id: null } });
  return { seq, committedAt: 1_000 * seq, events: [event(2 * seq - 1), event(2 * seq)] };
}

const broadcast = (seq: number): QueueChanged => {
  const { events } = commit(seq);
  return { queue_id: QUEUE, organization_id: "o1", branch_id: null, from_version: events[0]!.version, version: events[1]!.version, seq, events, next: [], sent_at: 1_000 * seq };
};

function aSequencer({ mark = null as Mark | null, journal = (seq: number) => seq >= 1, failReads = false } = {}) {
  const delivered: Array<{ seq: number | undefined; versions: number[]; replayed: boolean }> = [];
  const reads: Array<[number, number]> = [];
  const warnings: string[] = [];
  const sequencer = new ChangeSequencer(
    {
      markOf: async () => mark,
      commits: async (_queue, from, to) => {
        reads.push([from, to]);
        if (failReads) throw new Error("the database is gone");
        return Array.from({ length: to - from + 1 }, (_, i) => from + i).filter(journal).map(commit);
      },
      deliver: (change, replayed) => delivered.push({ seq: change.seq, versions: change.events.map((e) => e.version), replayed }),
      warn: (_details, message) => warnings.push(message),
    },
    3,
  );
  return { sequencer, delivered, reads, warnings };
}

describe("the order of a queue's changes for counting", () => {
  it("reads back the commits a node missed, in order, before the change that shows the gap", async () => {
    const { sequencer, delivered, reads } = aSequencer();
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(2));
    await sequencer.hear(broadcast(7)); // 3 to 6 never heard
    assert.deepEqual(reads, [[3, 5], [6, 6]], "pages of at most the page size, from the last seq heard");
    assert.deepEqual(
      delivered.map((d) => [d.seq, d.replayed]),
      [[1, false], [2, false], [3, true], [4, true], [5, true], [6, true], [7, false]],
    );
    assert.deepEqual(delivered.flatMap((d) => d.versions), Array.from({ length: 14 }, (_, i) => i + 1), "every version once, in order");
  });

  it("drops a change heard again, and one that arrives after it was read back", async () => {
    const { sequencer, delivered } = aSequencer();
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(3));
    await sequencer.hear(broadcast(2)); // late: read back already
    assert.deepEqual(delivered.map((d) => d.seq), [1, 2, 3]);
  });

  it("starts from the queue's mark: what a killed node had written is not read again, what it had not is", async () => {
    const { sequencer, delivered, reads } = aSequencer({ mark: { version: 8, seq: 4 } });
    await sequencer.hear(broadcast(7));
    assert.deepEqual(reads, [[5, 6]]);
    assert.deepEqual(delivered.map((d) => d.seq), [5, 6, 7]);
  });

  it("reads a queue never counted from its first commit, and takes a first change with nothing before it as it is", async () => {
    const fresh = aSequencer();
    await fresh.sequencer.hear(broadcast(1));
    assert.deepEqual([fresh.reads, fresh.delivered.map((d) => d.seq)], [[], [1]]);
    const missedStart = aSequencer();
    await missedStart.sequencer.hear(broadcast(3));
    assert.deepEqual(missedStart.delivered.map((d) => d.seq), [1, 2, 3]);
  });

  it("skips commits without events (an owner's first commit after a takeover)", async () => {
    const { sequencer, delivered } = aSequencer({ journal: (seq) => seq !== 3 });
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(5));
    assert.deepEqual(delivered.map((d) => d.seq), [1, 2, 4, 5]);
  });

  it("still counts the heard change when the journal cannot be read, and says what was lost", async () => {
    const { sequencer, delivered, warnings } = aSequencer({ failReads: true });
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(4));
    assert.deepEqual(delivered.map((d) => d.seq), [1, 4]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /not read back/);
  });

  it("does not read back a gap longer than its bound", async () => {
    const { sequencer, delivered, reads, warnings } = aSequencer();
    await sequencer.hear(broadcast(1));
    await sequencer.hear(broadcast(REPLAY_MAX_COMMITS + 3));
    assert.deepEqual([reads, delivered.map((d) => d.seq)], [[], [1, REPLAY_MAX_COMMITS + 3]]);
    assert.match(warnings[0]!, /too many/);
  });

  it("holds a queue's later changes while the first one waits for its mark, and reads the mark once", async () => {
    let release!: (mark: Mark | null) => void;
    let markReads = 0;
    const delivered: number[] = [];
    const sequencer = new ChangeSequencer(
      {
        markOf: () => (markReads++, new Promise<Mark | null>((resolve) => (release = resolve))),
        commits: async (_queue, from, to) => Array.from({ length: to - from + 1 }, (_, i) => commit(from + i)),
        deliver: (change) => delivered.push(change.seq!),
        warn: () => {},
      },
      10,
    );
    const heard = [sequencer.hear(broadcast(3)), sequencer.hear(broadcast(4))];
    await new Promise<void>((resolve) => {
      const check = () => (markReads > 0 ? resolve() : setImmediate(check));
      check();
    });
    release({ version: 2, seq: 1 });
    await Promise.all(heard);
    // Had change 4 not waited behind change 3, it would have read the mark too, or come first.
    assert.deepEqual([markReads, delivered], [1, [2, 3, 4]]);
  });
});
