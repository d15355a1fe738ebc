// A bound on how long a caller waits for the database. A server that stops answering
// (stopped, overloaded, its disk stalled) otherwise holds every request until the
// gateway's own timeout, with nothing said about whether to retry.

/** Thrown when `work` did not settle within the bound; the work itself is not cancelled. */
export class DeadlineExceeded extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = "DeadlineExceeded";
  }
}

/** `work`, or DeadlineExceeded after `ms`. A late settlement of `work` is ignored. */
export function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
    timer.unref();
  });
  work.catch(() => {}); // a late failure has no one left to tell
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
