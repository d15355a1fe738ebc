// Requests for one key made in the same turn of the event loop go out as one: when a live
// node restarts, its screens come back by the thousand and each asks for its queue's
// snapshot. A request is shared only by callers that asked before it was sent, never
// joined while in flight: a screen's watcher is registered before it asks, so the
// snapshot it gets is never older than the first delta it holds (see queue-feeds.ts).
export class SharedRequests<T> {
  private readonly next = new Map<string, Promise<T>>();

  constructor(
    private readonly send: (key: string) => Promise<T>,
    private readonly defer: (go: () => void) => void = setImmediate,
  ) {}

  get(key: string): Promise<T> {
    let pending = this.next.get(key);
    if (!pending) {
      pending = new Promise<void>((resolve) => this.defer(resolve)).then(() => {
        this.next.delete(key);
        return this.send(key);
      });
      this.next.set(key, pending);
    }
    return pending;
  }
}
