// One service's slot regenerations run one at a time on a node, and requests made while
// one runs fold into a single next run (services/appointments/regeneration.ts).
import assert from "node:assert/strict";
import { SerialRegenerations } from "../../services/appointments/regeneration.ts";

/** A regeneration that runs until released, recording when it starts and ends. */
function controlled() {
  const log: string[] = [];
  const releases: Array<() => void> = [];
  const regenerations = new SerialRegenerations((id) => {
    log.push(`start ${id}`);
    return new Promise<void>((resolve) => releases.push(() => (log.push(`end ${id}`), resolve())));
  });
  return { log, regenerations, release: () => releases.shift()!() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("slot regenerations of one service", () => {
  it("runs a request made during a run after it, once for all such requests", async () => {
    const { log, regenerations, release } = controlled();
    const first = regenerations.request("s1");
    const second = regenerations.request("s1");
    const third = regenerations.request("s1");
    assert.equal(second, third, "the requests made meanwhile share one run");
    await turn();
    assert.deepEqual(log, ["start s1"]);
    release();
    await first;
    await turn();
    assert.deepEqual(log, ["start s1", "end s1", "start s1"]);
    release();
    await second;
    assert.deepEqual(log, ["start s1", "end s1", "start s1", "end s1"]);
  });

  it("runs different services side by side, and goes on after a failed run", async () => {
    let fail = true;
    const started: string[] = [];
    const regenerations = new SerialRegenerations(async (id) => {
      started.push(id);
      if (id === "s1" && fail) {
        fail = false;
        throw new Error("database unavailable");
      }
    });
    const failed = regenerations.request("s1");
    const other = regenerations.request("s2");
    const retried = regenerations.request("s1");
    await assert.rejects(failed, /database unavailable/);
    await Promise.all([other, retried]);
    assert.deepEqual(started, ["s1", "s2", "s1"]);
  });
});
