// Sockets are admitted once, but what let them in can end while they are open: a logout,
// a revoked display token, a user deactivated, deleted, given a new password, role or
// organisation (every such change is broadcast as `accounts.sessions.changed`), or the
// access token simply expiring. Each socket is filed under its session's keys, and ends
// with 4401 when one of them does, so the client reconnects and is checked afresh.
import type { Peer } from "./channel.ts";

/** What an open socket's admission rested on. */
export interface LiveSession {
  /** e.g. `jti:<token id>`, `user:<user id>`. */
  keys: string[];
  /** Epoch ms when its token stops being good; null for none. */
  expiresAt: number | null;
}

/** An application close code (4000–4999): the session ended, as a 401 would say. */
export const SESSION_ENDED = 4401;

interface Filed {
  session: LiveSession;
  timer: NodeJS.Timeout | null;
}

export class SessionSockets {
  private readonly byKey = new Map<string, Set<Peer>>();
  private readonly filed = new Map<Peer, Filed>();

  constructor(private readonly now: () => number = Date.now) {}

  track(peer: Peer, session: LiveSession): void {
    const left = session.expiresAt === null ? null : session.expiresAt - this.now();
    if (left !== null && left <= 0) return peer.end(SESSION_ENDED, "token expired");
    for (const key of session.keys) {
      let peers = this.byKey.get(key);
      if (!peers) this.byKey.set(key, (peers = new Set()));
      peers.add(peer);
    }
    const timer = left === null ? null : setTimeout(() => peer.end(SESSION_ENDED, "token expired"), left);
    timer?.unref();
    this.filed.set(peer, { session, timer });
  }

  untrack(peer: Peer): void {
    const filed = this.filed.get(peer);
    if (!filed) return;
    this.filed.delete(peer);
    if (filed.timer) clearTimeout(filed.timer);
    for (const key of filed.session.keys) {
      const peers = this.byKey.get(key);
      peers?.delete(peer);
      if (peers?.size === 0) this.byKey.delete(key);
    }
  }

  /** Ends every socket filed under the key; answers how many. */
  end(key: string, reason: string): number {
    const peers = [...(this.byKey.get(key) ?? [])];
    for (const peer of peers) peer.end(SESSION_ENDED, reason);
    return peers.length;
  }
}
