// A stopping live node hands its screens over: it stops listening, then closes their
// sockets (1001) at a pace the node taking them can admit, instead of all at once. Closed
// together, 10,000 screens arrive together wherever they reconnect, and the last waits
// for the 9,999 before it (about 5 s at the 2,000 admissions/s measured on a shared core);
// closed a wave at a time, each is away only while it reconnects. The node still hears
// every change meanwhile, so the screens not yet handed over stay up to date: the waves
// run before its broker leaves the cluster (services/node.ts).
//
// It helps only where another node takes the screens: two live nodes behind one address,
// or a new process started on the same WS_PORT before the old one stops (uWebSockets.js
// listens with SO_REUSEPORT, so both listen and the kernel sends new connections to the
// one still listening). A node stopped before its successor starts should close at once
// (WS_HAND_OVER_PER_SECOND=0, the default): its screens have nowhere to go meanwhile.
import { setTimeout as sleep } from "node:timers/promises";

/** At most this many waves per second: small enough to be even, few enough to cost nothing. */
const WAVES_PER_SECOND = 20;

interface Closable {
  /** Being closed already. */
  readonly ending: boolean;
  readonly closed: boolean;
}

/**
 * Calls `end` on every member of `open`, `perSecond` at a time (all at once when 0); ends
 * once none is left open. Members leave `open` as they close.
 */
export async function inWaves<P extends Closable>(
  open: ReadonlySet<P>,
  perSecond: number,
  end: (peer: P) => void,
  pause: (ms: number) => Promise<unknown> = sleep,
): Promise<void> {
  const waves = Math.min(perSecond, WAVES_PER_SECOND);
  const wave = perSecond > 0 ? Math.ceil(perSecond / waves) : Infinity;
  for (;;) {
    let ended = 0;
    for (const peer of open) {
      if (ended >= wave) break;
      if (peer.ending || peer.closed) continue;
      end(peer);
      ended++;
    }
    if (ended < wave) return;
    await pause(1000 / waves);
  }
}
