// Bursts of small jobs, done a slice of an event-loop turn at a time. When a live node
// restarts, thousands of screens are admitted within a second, and their answers (each an
// upgrade, then a snapshot sent), chained as promise continuations, held the loop for up
// to 300–430 ms at a stretch (an event-loop monitor in the restart benchmark): no
// connection is accepted meanwhile, and the kernel's accept queue (uWebSockets.js listens
// with a backlog of 512) drops what does not fit, each such screen trying again a second
// later. Between slices the loop polls, so connections are accepted while a burst is
// answered (docs/bench-runs/2026-12-04-restart-views-in-flight.md: drops remain, from
// other stalls).
export class TurnSlices {
  private readonly jobs: Array<() => void> = [];
  private scheduled = false;

  constructor(
    private readonly sliceMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `job` in a later turn of the event loop, after the jobs given before it. */
  run(job: () => void): void {
    this.jobs.push(job);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const until = this.now() + this.sliceMs;
    while (this.jobs.length > 0 && this.now() < until) {
      try {
        this.jobs.shift()!();
      } catch (err) {
        this.onError(err);
      }
    }
    if (this.jobs.length > 0) this.schedule();
  }
}
