// Requests for one key made in the same turn of the event loop go out as one: when a live
// node restarts, its screens come back by the thousand and each asks for its queue's
// snapshot. A request is shared only by callers that asked before it was sent, never
// joined while in flight: a screen's watcher is registered before it asks, so the
// snapshot it gets is never older than the first delta it holds (see queue-feeds.ts).
// A caller may still wait for the answer in flight (`inFlight`) and judge whether it
// serves it (queue-channel.ts, `arriving`).
export class SharedRequests<T> {
  private readonly next = new Map<string, Promise<T>>();
  private readonly sent = new Map<string, Promise<T>>();

  constructor(
    private readonly send: (key: string) => Promise<T>,
    private readonly defer: (go: () => void) => void = setImmediate,
  ) {}

  get(key: string): Promise<T> {
    let pending = this.next.get(key);
    if (!pending) {
      pending = new Promise<void>((resolve) => this.defer(resolve)).then(() => {
        this.next.delete(key);
        const sending = this.send(key);
        this.sent.set(key, sending);
        const done = () => {
          if (this.sent.get(key) === sending) this.sent.delete(key);
        };
        sending.then(done, done);
        return sending;
      });
      this.next.set(key, pending);
    }
    return pending;
  }

  /** The newest request for this key sent and not yet answered, if any (a caller may wait for it, not join it). */
  inFlight(key: string): Promise<T> | undefined {
    return this.sent.get(key);
  }
}
