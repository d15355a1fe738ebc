import assert from "node:assert/strict";
import type { Delta } from "../../services/live/delta.ts";
import { QueueFeeds, queueTopic, type Watcher } from "../../services/live/queue-feeds.ts";
import { versionAfter } from "../support/live-client.ts";
import { FakePeer } from "./live-fixtures.ts";

function aSetup() {
  const peers: FakePeer[] = [];
  const feeds = new QueueFeeds((topic, message) => {
    for (const peer of peers) if (peer.topics.has(topic)) peer.send(message);
  });
  /** A watcher whose socket opened and got a snapshot at `version`. */
  const open = (watcher: Watcher, version: number) => {
    const peer = new FakePeer();
    peers.push(peer);
    watcher.peer = peer;
    peer.send({ type: "snapshot", version });
    feeds.synced(watcher, version);
    return peer;
  };
  return { feeds, open };
}

const aDelta = (from: number, to: number = from): Delta => ({
  queue_id: "q1",
  from_version: from,
  version: to,
  events: Array.from({ length: to - from + 1 }, (_, i) => ({ type: "ticket.issued", queue_id: "q1", version: from + i })),
  sent_at: 0,
});

describe("live queue feeds", () => {
  it("holds deltas that arrive before the snapshot and sends only what the snapshot lacks", () => {
    const { feeds, open } = aSetup();
    const watcher = feeds.join("q1");
    feeds.deliver(aDelta(5));
    feeds.deliver(aDelta(6, 7));
    const peer = open(watcher, 6);
    assert.equal(versionAfter(peer.received), 7);
    assert.deepEqual(peer.received.map((m) => m.type), ["snapshot", "delta"]);
    assert.ok(peer.topics.has(queueTopic("q1")), "in step: moved onto the native topic");
    feeds.deliver(aDelta(8));
    assert.equal(versionAfter(peer.received), 8);
  });

  it("feeds by hand a watcher whose snapshot is ahead of this node, never repeating a version", () => {
    const { feeds, open } = aSetup();
    const watcher = feeds.join("q1");
    const peer = open(watcher, 10);
    assert.ok(!peer.topics.has(queueTopic("q1")), "nothing published yet: stays off the topic");
    feeds.deliver(aDelta(9, 10)); // still in flight when the snapshot was read
    assert.equal(peer.received.length, 1);
    feeds.deliver(aDelta(11));
    assert.ok(peer.topics.has(queueTopic("q1")));
    feeds.deliver(aDelta(12));
    assert.equal(versionAfter(peer.received), 12);
    assert.equal(peer.received.length, 3);
  });

  it("lets a re-syncing watcher hold again, off the topic, until its fresh snapshot is out", () => {
    const { feeds, open } = aSetup();
    const watcher = feeds.join("q1");
    feeds.deliver(aDelta(1));
    const peer = open(watcher, 1);
    feeds.hold(watcher);
    assert.ok(!peer.topics.has(queueTopic("q1")));
    feeds.deliver(aDelta(2));
    feeds.deliver(aDelta(3));
    peer.received.length = 0;
    peer.send({ type: "snapshot", version: 2 });
    feeds.synced(watcher, 2);
    assert.equal(versionAfter(peer.received), 3);
    assert.ok(peer.topics.has(queueTopic("q1")));
  });

  it("keeps one stream per watcher whatever the moment each joined", () => {
    const { feeds, open } = aSetup();
    const peers: FakePeer[] = [];
    for (let v = 1; v <= 20; v++) {
      if (v % 3 === 0) peers.push(open(feeds.join("q1"), v - 1));
      feeds.deliver(aDelta(v));
    }
    for (const peer of peers) assert.equal(versionAfter(peer.received), 20);
  });

  it("never sends a delta that skips versions this node missed: the watchers behind get a fresh snapshot instead", () => {
    const { feeds, open } = aSetup();
    const refreshed: Watcher[] = [];
    feeds.refreshWith((watcher) => refreshed.push(watcher));
    const onTopic = feeds.join("q1");
    const peer = open(onTopic, 2);
    feeds.deliver(aDelta(3));
    assert.ok(peer.topics.has(queueTopic("q1")));
    feeds.deliver(aDelta(5)); // 4 never reached this node
    assert.deepEqual(refreshed, [onTopic]);
    assert.ok(!peer.topics.has(queueTopic("q1")), "off the topic until its fresh snapshot is out");
    assert.equal(versionAfter(peer.received), 3, "5 was not sent after 3");
    peer.send({ type: "snapshot", version: 5 }); // the channel's re-sync
    feeds.synced(onTopic, 5);
    feeds.deliver(aDelta(6));
    assert.equal(versionAfter(peer.received), 6);
    assert.ok(peer.topics.has(queueTopic("q1")));
  });

  it("gives a fresh snapshot to a watcher whose held deltas start past its snapshot", () => {
    const { feeds, open } = aSetup();
    const refreshed: Watcher[] = [];
    feeds.refreshWith((watcher) => refreshed.push(watcher));
    const watcher = feeds.join("q1");
    feeds.deliver(aDelta(5)); // held; its snapshot, read elsewhere, is older than 4
    const peer = open(watcher, 3);
    assert.deepEqual(refreshed, [watcher]);
    assert.deepEqual(peer.received.map((m) => m.type), ["snapshot"]);
    feeds.deliver(aDelta(6)); // held while the fresh snapshot is on its way
    peer.send({ type: "snapshot", version: 5 });
    feeds.synced(watcher, 5);
    assert.equal(versionAfter(peer.received), 6);
  });

  it("forgets a queue when its last watcher leaves", () => {
    const { feeds } = aSetup();
    const a = feeds.join("q1");
    const b = feeds.join("q1");
    feeds.leave(a);
    assert.ok(feeds.isWatched("q1"));
    feeds.leave(b);
    feeds.leave(b);
    assert.ok(!feeds.isWatched("q1"));
  });
});
