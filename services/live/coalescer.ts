// Bursts on one queue go out as one message: deltas for a queue arriving within the same
// tick (several group commits, or events from several nodes landing together) are merged
// and published once, so a screen gets one frame per burst instead of one per commit.
import { merge, type Delta } from "./delta.ts";

export class Coalescer {
  private readonly held = new Map<string, Delta>();
  private scheduled = false;

  constructor(
    private readonly publish: (delta: Delta) => void,
    private readonly defer: (flush: () => void) => void = setImmediate,
  ) {}

  push(delta: Delta): void {
    const held = this.held.get(delta.queue_id);
    const merged = held && merge(held, delta);
    // A delta that cannot join the held one goes out after it, never before: order holds.
    if (held && !merged) this.publish(held);
    this.held.set(delta.queue_id, merged || delta);
    if (!this.scheduled) {
      this.scheduled = true;
      this.defer(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    const due = [...this.held.values()];
    this.held.clear();
    for (const delta of due) this.publish(delta);
  }
}
