// A short memory of who a token belongs to, so that every request through the gateway,
// and every screen that reconnects, does not read the revocation list, the user or the
// display token from MongoDB. Access tokens are remembered AUTH_CACHE_SECONDS, display
// tokens DISPLAY_AUTH_CACHE_SECONDS. Logout, a revoked display token and any change to a
// user (role, organisation, deactivation, deletion) drop the entries at once on this node
// and, through the `accounts.sessions.changed` broadcast, within milliseconds on the others.
import type { AuthUser } from "../../mixins/api/meta.ts";

/** `V.id` is what `forget({ user_id })` matches. */
export class SessionCache<V extends { id: string } = AuthUser> {
  private readonly byToken = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(jti: string): V | undefined {
    const entry = this.byToken.get(jti);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.byToken.delete(jti);
    return undefined;
  }

  remember(jti: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.byToken.set(jti, { value, until: this.now() + this.ttlMs });
    if (this.byToken.size > 100_000) this.sweep();
  }

  forget(change: { jti?: string; user_id?: string }): void {
    if (change.jti) this.byToken.delete(change.jti);
    if (change.user_id) for (const [jti, entry] of this.byToken) if (entry.value.id === change.user_id) this.byToken.delete(jti);
  }

  private sweep(): void {
    const now = this.now();
    for (const [jti, entry] of this.byToken) if (entry.until <= now) this.byToken.delete(jti);
  }
}
