// An OAuth2 access token kept until shortly before it expires. Concurrent senders share one
// token request; `invalidate` drops a token the provider has just refused (401).
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Renew this long before the provider's expiry, so a token never dies in flight. */
const MARGIN_MS = 60_000;

export class AccessTokenCache {
  private token: { value: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.pending ??= this.issue()
      .then(({ accessToken, expiresInSeconds }) => {
        const lifetime = expiresInSeconds * 1000;
        // A short-lived token is renewed at half its life rather than never cached.
        this.token = { value: accessToken, renewAt: this.now() + Math.max(lifetime - MARGIN_MS, lifetime / 2) };
        return accessToken;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  invalidate(refused: string): void {
    if (this.token?.value === refused) this.token = null;
  }

  /**
   * Calls with the current token; if the provider refuses it (401: revoked or expired
   * early), one fresh token and one more try.
   */
  async withToken<A extends { status: number }>(call: (token: string) => Promise<A>): Promise<A> {
    const token = await this.get();
    const answer = await call(token);
    if (answer.status !== 401) return answer;
    this.invalidate(token);
    return call(await this.get());
  }

  /** Healthy when the provider hands out a token. */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.get();
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
