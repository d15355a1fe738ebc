// An OAuth2 access token kept until shortly before it expires. Concurrent senders share one
// token request; `invalidate` drops a token the provider has just refused (401).
import { errors } from "../api/errors.ts";
import { request, statusFailure, type HttpAnswer, type HttpRequest } from "./provider-request.ts";

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

/**
 * Asks a provider's OAuth2 token endpoint for a token (a form POST, RFC 6749 §5.1 answer).
 * A refusal fails with the provider's own error code, read by `codeOf`.
 */
export async function requestToken(provider: string, url: string, req: HttpRequest & { form: Record<string, string> }, codeOf: (answer: HttpAnswer) => string | undefined): Promise<IssuedToken> {
  const answer = await request(provider, url, req);
  if (answer.status !== 200) throw statusFailure(provider, "the token request", answer, codeOf(answer));
  const body = answer.body as { access_token?: unknown; expires_in?: unknown } | null;
  if (typeof body?.access_token !== "string") {
    throw errors.providerFailed(provider, "the token answer has no access_token", { retryable: true, status: answer.status });
  }
  return { accessToken: body.access_token, expiresInSeconds: Number(body.expires_in) || 3600 };
}
