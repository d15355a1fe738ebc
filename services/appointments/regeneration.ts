// Slot regenerations of one service, one at a time on a node. A service's creation and a
// quick change of its hours each ask for one; run side by side, the run that read the old
// hours could finish last and leave their slots behind. Here a request made while a run is
// going waits for it, and requests made meanwhile fold into that one next run, which reads
// the service as it is by then.
export class SerialRegenerations {
  private readonly running = new Map<string, Promise<void>>();
  private readonly next = new Map<string, Promise<void>>();

  constructor(private readonly regenerate: (serviceId: string) => Promise<void>) {}

  request(serviceId: string): Promise<void> {
    const queued = this.next.get(serviceId);
    if (queued) return queued;
    const current = this.running.get(serviceId);
    if (!current) return this.start(serviceId);
    const after = current.catch(() => {}).then(() => {
      this.next.delete(serviceId);
      return this.start(serviceId);
    });
    this.next.set(serviceId, after);
    return after;
  }

  private start(serviceId: string): Promise<void> {
    const run = this.regenerate(serviceId).finally(() => {
      if (this.running.get(serviceId) === run) this.running.delete(serviceId);
    });
    this.running.set(serviceId, run);
    return run;
  }
}
