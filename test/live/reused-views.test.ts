import assert from "node:assert/strict";
import type { LoggerInstance } from "moleculer";
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import type { Viewer } from "../../services/live/access.ts";
import type { UpgradeRequest } from "../../services/live/channel.ts";
import { DeltaRing } from "../../services/live/delta-ring.ts";
import { QueueChannel, VIEW_REUSED_FOR_MS } from "../../services/live/queue-channel.ts";
import { QueueFeeds } from "../../services/live/queue-feeds.ts";
import { versionAfter } from "../support/live-client.ts";
import { aDelta, FakePeer } from "./live-fixtures.ts";

const screen: Viewer = { kind: "display", display: { id: "d1", organization_id: "o1", branch_id: "b1" } };
const request = (since?: number): UpgradeRequest => ({ params: ["q1"], protocolToken: "t", queryToken: undefined, since: since === undefined ? undefined : String(since), authorization: "", address: "127.0.0.1" });
const snapshotAt = (version: number) => ({ queue_id: "q1", version }) as QueueSnapshot;

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A queue channel over real feeds and ring; the queues' node takes its snapshot at
 * `current` when asked, and answers at once or, `held`, when the test settles `answers[i]`.
 */
function aChannel({ held = false } = {}) {
  let clock = 0;
  const state = { current: 1, fetches: 0 };
  const answers: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  const peers: FakePeer[] = [];
  const feeds = new QueueFeeds((topic, message) => {
    for (const peer of peers) if (peer.topics.has(topic)) peer.send(message);
  });
  const ring = new DeltaRing();
  const call = async <T>(): Promise<T> => {
    state.fetches++;
    const view = { queue: { id: "q1", name: "Caisse", organization_id: "o1", branch_id: "b1" }, snapshot: snapshotAt(state.current) } as T;
    if (held) await new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    return view;
  };
  const channel = new QueueChannel(call, { viewerOf: async () => screen }, feeds, ring, {} as LoggerInstance, () => clock);
  /** A change heard from the queue's owner: recorded and delivered, as the live service does. */
  const change = (version: number) => {
    state.current = version;
    const delta = aDelta(version, version);
    ring.record(delta);
    feeds.deliver(delta);
  };
  /** Admitted and opened once its view comes; `sent`: its request (if it makes one) has gone out. */
  const arrive = (since?: number) => {
    const opened = channel.admit(request(since)).then((admitted) => {
      const peer = new FakePeer();
      peers.push(peer);
      channel.open(peer, admitted);
      return peer;
    });
    return { opened, sent: turns(2) };
  };
  const connect = (since?: number) => arrive(since).opened;
  return { state, answers, change, arrive, connect, channel, peers, tick: (ms: number) => (clock += ms) };
}

describe("live queue channel: a view fetched moments ago serves the next screens", () => {
  it("gives a screen admitted within the reuse window the fetched snapshot and the deltas heard since, without asking again", async () => {
    const { state, change, connect, tick } = aChannel();
    const first = await connect();
    change(2);
    change(3);
    tick(VIEW_REUSED_FOR_MS - 1);
    const second = await connect();
    assert.equal(state.fetches, 1);
    assert.deepEqual(second.received.map((m) => [m.type, m.version]), [["snapshot", 1], ["delta", 2], ["delta", 3]]);
    change(4);
    assert.deepEqual([versionAfter(first.received), versionAfter(second.received)], [4, 4]);
  });

  it("asks again once the window has passed, after a gap in what this node heard, and for a screen ahead of the kept view", async () => {
    const { state, change, connect, tick } = aChannel();
    await connect();
    tick(VIEW_REUSED_FOR_MS + 1);
    await connect();
    assert.equal(state.fetches, 2, "past the window");
    state.current = 6;
    change(8); // 7 never heard here
    const afterGap = await connect();
    assert.equal(state.fetches, 3, "after a gap");
    assert.equal(versionAfter(afterGap.received), 8);
    state.current = 9; // as a screen coming from another node saw it, before this one heard it
    const ahead = await connect(9);
    assert.equal(state.fetches, 4, "a screen ahead of the kept view");
    assert.equal(versionAfter(ahead.received), 9);
  });

  it("resumes a screen holding a version heard here from the deltas, however old the kept view, without asking again", async () => {
    const { state, change, connect, tick } = aChannel();
    await connect();
    change(2);
    change(3);
    tick(VIEW_REUSED_FOR_MS * 10);
    const handedOver = await connect(3);
    const behind = await connect(2);
    assert.equal(state.fetches, 1, "the kept view says whose queue it is");
    assert.deepEqual(handedOver.received.map((m) => [m.type, m.version]), [["resumed", 3]]);
    assert.deepEqual(behind.received.map((m) => [m.type, m.version]), [["resumed", 2], ["delta", 3]]);
    change(4);
    assert.deepEqual([versionAfter(handedOver.received), versionAfter(behind.received)], [4, 4]);
  });

  it("never sends a screen admitted to resume a snapshot older than it holds, when its deltas are gone before its socket opens", async () => {
    const { state, change, connect, channel, peers } = aChannel();
    await connect();
    change(2);
    change(3);
    const admitted = await channel.admit(request(3));
    for (let version = 4; version <= 100; version++) change(version); // more than the ring keeps
    const peer = new FakePeer();
    peers.push(peer);
    channel.open(peer, admitted);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(state.fetches, 2, "a fresh view instead of the kept one");
    assert.deepEqual(peer.received.map((m) => [m.type, m.version]), [["snapshot", 100]]);
  });
});

describe("live queue channel: screens that come while their queue's view is on its way wait for it", () => {
  it("shares one request among the screens that came before its answer, each sent the deltas heard since the view", async () => {
    const { state, answers, change, arrive } = aChannel({ held: true });
    const first = arrive();
    await first.sent;
    change(2); // heard after the owner took the view at 1
    const second = arrive();
    await second.sent;
    change(3);
    const third = arrive();
    await third.sent;
    assert.equal(state.fetches, 1);
    answers[0].resolve();
    const screens = await Promise.all([first.opened, second.opened, third.opened]);
    assert.equal(state.fetches, 1, "one request for the three screens");
    for (const peer of screens) assert.deepEqual(peer.received.slice(0, 3).map((m) => [m.type, m.version]), [["snapshot", 1], ["delta", 2], ["delta", 3]]);
    change(4);
    assert.deepEqual(screens.map((peer) => versionAfter(peer.received)), [4, 4, 4]);
  });

  it("asks again for a screen ahead of the view that came, and for the screens waiting on a request that failed", async () => {
    const { state, answers, arrive } = aChannel({ held: true });
    const first = arrive();
    await first.sent;
    state.current = 5; // a screen from another node holds 5, which this node has not heard
    const ahead = arrive(5);
    await ahead.sent;
    answers[0].resolve();
    await first.opened;
    await turns(2);
    assert.equal(state.fetches, 2, "the view at 1 cannot bring a screen at 5 up to date");
    answers[1].resolve();
    assert.equal(versionAfter((await ahead.opened).received), 5);

    const failing = aChannel({ held: true });
    const one = failing.arrive();
    await one.sent;
    const other = failing.arrive();
    await other.sent;
    failing.answers[0].reject(new Error("the queues' node is away"));
    await assert.rejects(one.opened, /away/);
    await turns(2);
    assert.equal(failing.state.fetches, 2, "the waiting screen asks for itself");
    failing.answers[1].resolve();
    assert.equal(versionAfter((await other.opened).received), 1);
  });
});
