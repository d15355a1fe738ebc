// Requests for one key made in the same turn of the event loop go out as one: when a live
// node restarts, its screens come back by the thousand and each asks for its queue's
// snapshot. A request is shared by callers that asked before it was sent; one already in
// flight is joined only by a caller that says it may be (`joinInFlight`): a screen's
// watcher is registered before it asks, so the snapshot it gets must never be older than
// the first delta it holds (see queue-feeds.ts), unless it resumes without that snapshot.
export class SharedRequests<T> {
  private readonly next = new Map<string, Promise<T>>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly send: (key: string) => Promise<T>,
    private readonly defer: (go: () => void) => void = setImmediate,
  ) {}

  get(key: string, { joinInFlight = false } = {}): Promise<T> {
    const flying = joinInFlight ? this.inFlight.get(key) : undefined;
    if (flying) return flying;
    let pending = this.next.get(key);
    if (!pending) {
      pending = new Promise<void>((resolve) => this.defer(resolve)).then(() => {
        this.next.delete(key);
        const sent = this.send(key);
        this.inFlight.set(key, sent);
        const landed = () => this.inFlight.get(key) === sent && this.inFlight.delete(key);
        sent.then(landed, landed);
        return sent;
      });
      this.next.set(key, pending);
    }
    return pending;
  }
}
