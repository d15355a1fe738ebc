// The monitors' boards as a client holds them: a snapshot lists every item, a delta the
// items it changed, and a delta applies only right after the version held.
import assert from "node:assert/strict";

export interface HeldBoard {
  version: number;
  items: Map<string, any>;
  /** The last snapshot or delta applied (the dashboard's totals ride on each). */
  last: any;
}

/** Replays the messages, failing on a delta before any snapshot or that does not follow the version held. */
export function boardHeld(messages: any[], field: "queues" | "organizations", idOf: (item: any) => string): HeldBoard {
  let held: HeldBoard | null = null;
  for (const m of messages) {
    if (m.type === "snapshot") held = { version: m.version, items: new Map(), last: m };
    if (m.type !== "snapshot" && m.type !== "delta") continue;
    assert.ok(held, "a delta before any snapshot");
    if (m.type === "delta") assert.equal(m.from_version, held.version + 1, `delta ${m.from_version} after version ${held.version}`);
    held.version = m.version;
    held.last = m;
    for (const item of m[field]) held.items.set(idOf(item), item);
  }
  assert.ok(held, "no snapshot");
  return held;
}
