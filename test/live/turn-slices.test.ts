import assert from "node:assert/strict";
import { TurnSlices } from "../../services/live/turn-slices.ts";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("turn slices (a burst of upgrade answers leaves the event loop free to accept connections)", () => {
  it("runs the jobs in order, a slice of a turn at a time, and lets other work run between slices", async () => {
    let clock = 0;
    const log: string[] = [];
    const slices = new TurnSlices(5, (err) => assert.fail(String(err)), () => clock);
    // Each job takes 2 ms of the slice's 5: three fit in a turn (at 0, 2 and 4 ms).
    for (let i = 1; i <= 7; i++) slices.run(() => ((clock += 2), log.push(`job ${i}`)));
    assert.equal(log.length, 0, "nothing runs in the turn that gave the jobs");
    setImmediate(() => setImmediate(() => log.push("a connection accepted")));
    await turn();
    await turn();
    await turn();
    await turn();
    assert.deepEqual(log, ["job 1", "job 2", "job 3", "job 4", "job 5", "job 6", "a connection accepted", "job 7"]);
  });

  it("reports a job that throws and goes on with the others", async () => {
    const failures: unknown[] = [];
    const done: number[] = [];
    const slices = new TurnSlices(5, (err) => failures.push(err));
    slices.run(() => done.push(1));
    slices.run(() => {
      throw new Error("the client left");
    });
    slices.run(() => done.push(3));
    await turn();
    await turn();
    assert.deepEqual(done, [1, 3]);
    assert.deepEqual(failures.map((err) => (err as Error).message), ["the client left"]);
  });
});
