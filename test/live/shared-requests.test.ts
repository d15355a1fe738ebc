import assert from "node:assert/strict";
import { SharedRequests } from "../../services/live/shared-requests.ts";

/** Shared requests whose turns the test ends by hand; each send answers `<key>#<n>`. */
function someRequests() {
  const sent: string[] = [];
  const turns: Array<() => void> = [];
  const requests = new SharedRequests(
    async (key) => {
      sent.push(key);
      return `${key}#${sent.length}`;
    },
    (go) => turns.push(go),
  );
  const endTurn = () => turns.splice(0).forEach((go) => go());
  return { requests, sent, endTurn };
}

describe("shared requests (snapshots asked for by screens coming back together)", () => {
  it("sends one request per key for the callers of one turn, and answers them all", async () => {
    const { requests, sent, endTurn } = someRequests();
    const asked = [requests.get("q1"), requests.get("q1"), requests.get("q2"), requests.get("q1")];
    assert.deepEqual(sent, []);
    endTurn();
    assert.deepEqual(await Promise.all(asked), ["q1#1", "q1#1", "q2#2", "q1#1"]);
    assert.deepEqual(sent, ["q1", "q2"]);
  });

  it("never lets a caller join a request already sent: it gets a newer one", async () => {
    const { requests, sent, endTurn } = someRequests();
    const first = requests.get("q1");
    endTurn();
    await first;
    const later = requests.get("q1");
    endTurn();
    assert.deepEqual([await first, await later], ["q1#1", "q1#2"]);
    assert.deepEqual(sent, ["q1", "q1"]);
  });

  it("gives every caller of the turn the failure, and the next turn a fresh try", async () => {
    let fail = true;
    const requests = new SharedRequests(async (key) => {
      if (fail) throw new Error(`no snapshot of ${key}`);
      return key;
    });
    const failed = await Promise.allSettled([requests.get("q1"), requests.get("q1")]);
    assert.deepEqual(failed.map((r) => r.status), ["rejected", "rejected"]);
    fail = false;
    assert.equal(await requests.get("q1"), "q1");
  });

  it("tells which request of a key is in flight, from the moment it is sent until it is answered or fails", async () => {
    const answers: Array<{ resolve: (value: string) => void; reject: (err: Error) => void }> = [];
    const turns: Array<() => void> = [];
    const requests = new SharedRequests(
      (key) => new Promise<string>((resolve, reject) => answers.push({ resolve: (value) => resolve(`${key}:${value}`), reject })),
      (go) => turns.push(go),
    );
    const first = requests.get("q1");
    assert.equal(requests.inFlight("q1"), undefined, "asked, not yet sent");
    turns.splice(0).forEach((go) => go());
    await new Promise((resolve) => setImmediate(resolve));
    const inFlight = requests.inFlight("q1");
    assert.ok(inFlight);
    answers[0]!.resolve("a");
    assert.deepEqual([await inFlight, await first], ["q1:a", "q1:a"]);
    assert.equal(requests.inFlight("q1"), undefined, "answered");

    const failing = requests.get("q1");
    turns.splice(0).forEach((go) => go());
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(requests.inFlight("q1"));
    answers[1]!.reject(new Error("away"));
    await assert.rejects(failing, /away/);
    assert.equal(requests.inFlight("q1"), undefined, "failed");
  });
});
