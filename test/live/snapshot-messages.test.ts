import assert from "node:assert/strict";
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { SnapshotMessages } from "../../services/live/snapshot-messages.ts";

/** Snapshots that count how often they are serialised, whichever object it is. */
function countedSnapshots() {
  const serialised: number[] = [];
  const at = (version: number) =>
    ({
      version,
      toJSON: () => {
        serialised.push(version);
        return { version };
      },
    }) as unknown as QueueSnapshot;
  return { at, serialised };
}

describe("snapshot messages (one serialisation per queue version)", () => {
  it("serialises a queue's snapshot once per version, whichever request brought it", () => {
    const { at, serialised } = countedSnapshots();
    const messages = new SnapshotMessages();
    const texts = [at(4), at(4), at(4)].map((snapshot) => messages.textOf("q1", "Caisse", snapshot));
    assert.deepEqual(serialised, [4]);
    assert.equal(new Set(texts).size, 1);
    assert.deepEqual(JSON.parse(texts[0]), { type: "snapshot", queue_id: "q1", name: "Caisse", version: 4, snapshot: { version: 4 } });
    messages.textOf("q1", "Caisse", at(5));
    messages.textOf("q2", "Caisse", at(5));
    assert.deepEqual(serialised, [4, 5, 5]);
  });

  it("keeps the newest version when an older snapshot comes late, and serialises again after a rename or once forgotten", () => {
    const { at, serialised } = countedSnapshots();
    const messages = new SnapshotMessages();
    messages.textOf("q1", "Caisse", at(6));
    assert.equal(JSON.parse(messages.textOf("q1", "Caisse", at(5))).version, 5);
    messages.textOf("q1", "Caisse", at(6));
    assert.deepEqual(serialised, [6, 5]);
    assert.equal(JSON.parse(messages.textOf("q1", "Caisse principale", at(6))).name, "Caisse principale");
    messages.forget("q1");
    messages.textOf("q1", "Caisse principale", at(6));
    assert.deepEqual(serialised, [6, 5, 6, 6]);
  });
});
