// Open-loop load: `action` started `rate` times a second whatever the answers, with at most
// `maxInFlight` unanswered (past that, starts wait: the server is not keeping up, and
// the achieved rate shows it). Failures are counted, not thrown.
import { sleep } from "./rig.ts";

export interface Paced {
  /** Stops starting new actions and waits for those in flight. */
  stop(): Promise<{ started: number; failed: number; seconds: number }>;
}

export function startPaced(rate: number, maxInFlight: number, action: (i: number) => Promise<unknown>): Paced {
  let running = true;
  let started = 0;
  let failed = 0;
  let inFlight = 0;
  const began = performance.now();
  const loop = (async () => {
    while (running) {
      const due = Math.floor(((performance.now() - began) / 1000) * rate);
      for (; started < due && inFlight < maxInFlight; started++) {
        inFlight++;
        action(started).catch(() => failed++).finally(() => inFlight--);
      }
      await sleep(5);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const seconds = (performance.now() - began) / 1000;
      while (inFlight > 0) await sleep(20);
      return { started, failed, seconds };
    },
  };
}
