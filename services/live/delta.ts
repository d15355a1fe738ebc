// A delta: the events that took one queue from `from_version` to `version`. Clients apply
// a delta only when `from_version` is the version after their own; so deltas may be
// merged only when they follow each other exactly, and trimmed only from the front.
import type { ChangedEvent, QueueChanged } from "../events.ts";

export interface Delta {
  queue_id: string;
  from_version: number;
  version: number;
  events: ChangedEvent[];
  /** Epoch ms when the newest part was published by the queue's owner. */
  sent_at: number;
}

export const deltaOf = ({ queue_id, from_version, version, events, sent_at }: QueueChanged): Delta => ({
  queue_id,
  from_version,
  version,
  events,
  sent_at,
});

/** `a` then `b` as one delta, or null when `b` does not start right after `a` (a gap or a repeat). */
export function merge(a: Delta, b: Delta): Delta | null {
  if (b.from_version !== a.version + 1) return null;
  return { ...a, version: b.version, events: [...a.events, ...b.events], sent_at: Math.max(a.sent_at, b.sent_at) };
}

/**
 * What a client at `version` has not seen yet: null if nothing, the delta as is when it
 * starts after a gap (the client must see the gap to resync), else its unseen tail.
 */
export function unseenBy(delta: Delta, version: number): Delta | null {
  if (delta.version <= version) return null;
  if (delta.from_version > version) return delta;
  return { ...delta, from_version: version + 1, events: delta.events.filter((e) => e.version > version) };
}
