// When the projector writes a queue's snapshot: once the commits since the last one carry
// about as many ticket versions as the snapshot would hold, within fixed bounds.
import assert from "node:assert/strict";
import { snapshotDue } from "../../actors/host/projector.ts";

describe("snapshot schedule", () => {
  it("snapshots a small queue every 16 events", () => {
    assert.equal(snapshotDue(15, 3), false);
    assert.equal(snapshotDue(16, 3), true);
  });

  it("waits for as many events as a large queue has open tickets, so snapshots cost about what the journal costs", () => {
    assert.equal(snapshotDue(299, 300), false);
    assert.equal(snapshotDue(300, 300), true);
  });

  it("never lets more than 512 events pile up behind a snapshot, however long the line", () => {
    assert.equal(snapshotDue(511, 5000), false);
    assert.equal(snapshotDue(512, 5000), true);
  });
});
