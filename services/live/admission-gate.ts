// At most so many upgrades are being admitted at once; the others wait their turn, in
// order of arrival. Admitting a screen costs the accounts and queues services a request
// each; when a live node restarts, thousands of screens come back within a second, and
// without a bound those requests flooded that node until it missed its heartbeats and was
// declared dead, and every admission failed. A client that left while waiting is skipped.
// A gate made closed admits nobody until `open()`: a restarting node accepts upgrades as
// soon as it listens and admits them once the services they need can be reached.
export class AdmissionGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private opened: Promise<void> | null = null;
  private openNow: () => void = () => {};

  constructor(private readonly limit: number, { closed = false } = {}) {
    if (closed) this.opened = new Promise<void>((resolve) => (this.openNow = resolve));
  }

  /** Lets the waiting admissions in (in order of arrival) and every later one. */
  open(): void {
    this.opened = null;
    this.openNow();
  }

  /** Runs `admit` when the gate is open and a place is free; rejects, without running it, if the client is gone by then. */
  async run<T>(admit: () => Promise<T>, gone: () => boolean): Promise<T> {
    if (this.opened) await this.opened;
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      if (gone()) throw new Error("the client left before its turn to be admitted");
      return await admit();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
