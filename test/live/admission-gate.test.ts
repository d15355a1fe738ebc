import assert from "node:assert/strict";
import { AdmissionGate } from "../../services/live/admission-gate.ts";

/** An admission the test finishes by hand. */
function anAdmission(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    admit: async () => {
      log.push(`start ${name}`);
      await done;
      return name;
    },
    finish,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("admission gate (screens coming back together after a restart)", () => {
  it("admits at most its limit at once, the others in order of arrival as places free", async () => {
    const gate = new AdmissionGate(2);
    const log: string[] = [];
    const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => anAdmission(log, name));
    const results = [a, b, c, d].map((x) => gate.run(x!.admit, () => false));
    await turn();
    assert.deepEqual(log, ["start a", "start b"]);
    b!.finish();
    await turn();
    assert.deepEqual(log, ["start a", "start b", "start c"]);
    a!.finish();
    c!.finish();
    await turn();
    d!.finish();
    assert.deepEqual(await Promise.all(results), ["a", "b", "c", "d"]);
    assert.deepEqual(log, ["start a", "start b", "start c", "start d"]);
  });

  it("skips a client that left while waiting, and a failed admission frees its place", async () => {
    const gate = new AdmissionGate(1);
    const log: string[] = [];
    const first = anAdmission(log, "first");
    const running = gate.run(first.admit, () => false);
    const left = gate.run(anAdmission(log, "left").admit, () => true);
    const failing = gate.run(async () => {
      throw new Error("token revoked");
    }, () => false);
    const last = anAdmission(log, "last");
    const after = gate.run(last.admit, () => false);
    first.finish();
    await assert.rejects(left, /left before its turn/);
    await assert.rejects(failing, /token revoked/);
    last.finish();
    assert.deepEqual([await running, await after], ["first", "last"]);
    assert.deepEqual(log, ["start first", "start last"]);
  });

  it("made closed, admits nobody until opened, then the waiting in order of arrival within its limit", async () => {
    const gate = new AdmissionGate(2, { closed: true });
    const log: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((name) => anAdmission(log, name));
    const results = [a, b, c].map((x) => gate.run(x!.admit, () => false));
    await turn();
    assert.deepEqual(log, []);
    gate.open();
    await turn();
    assert.deepEqual(log, ["start a", "start b"]);
    a!.finish();
    b!.finish();
    await turn();
    c!.finish();
    assert.deepEqual(await Promise.all(results), ["a", "b", "c"]);
    assert.deepEqual(log, ["start a", "start b", "start c"]);
  });
});
