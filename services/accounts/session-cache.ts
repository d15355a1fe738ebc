// A short memory of who an access token belongs to, so that every request through the
// gateway does not read the revocation list and the user from MongoDB. An entry lives
// at most AUTH_CACHE_SECONDS; logout, and any change to a user (role, organisation,
// deactivation, deletion), drops the entries at once on this node and, through the
// `accounts.sessions.changed` broadcast, within milliseconds on the others.
import type { AuthUser } from "../../platform/meta.ts";

export class SessionCache {
  private readonly byToken = new Map<string, { user: AuthUser; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(jti: string): AuthUser | undefined {
    const entry = this.byToken.get(jti);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.user;
    this.byToken.delete(jti);
    return undefined;
  }

  remember(user: AuthUser): void {
    if (this.ttlMs <= 0) return;
    this.byToken.set(user.jti, { user, until: this.now() + this.ttlMs });
    if (this.byToken.size > 100_000) this.sweep();
  }

  forget(change: { jti?: string; user_id?: string }): void {
    if (change.jti) this.byToken.delete(change.jti);
    if (change.user_id) for (const [jti, entry] of this.byToken) if (entry.user.id === change.user_id) this.byToken.delete(jti);
  }

  private sweep(): void {
    const now = this.now();
    for (const [jti, entry] of this.byToken) if (entry.until <= now) this.byToken.delete(jti);
  }
}
