// Tokens whose signature was checked already. An agent's console or an office screen sends
// the same token on every request for its whole life, and checking an HS256 signature
// through jsonwebtoken cost about 0.3 ms of a shared core per request (a CPU profile of the
// call-next benchmark): a third of what the gateway spent on a command. A token's
// signature and claims never change, so a hit only needs its expiry looked at again;
// revocation is checked by the caller as before, hit or not.
import type { JwtPayload } from "jsonwebtoken";

/** Enough for every screen and console of a large node; the oldest is dropped first. */
const CAPACITY = 20_000;

export class VerifiedTokens {
  private readonly claims = new Map<string, JwtPayload>();

  /** The claims of a token verified before, unless it has expired since. */
  get(token: string, nowSeconds = Date.now() / 1000): JwtPayload | "expired" | undefined {
    const known = this.claims.get(token);
    if (!known) return undefined;
    if (typeof known.exp === "number" && known.exp <= nowSeconds) {
      this.claims.delete(token);
      return "expired";
    }
    return known;
  }

  remember(token: string, claims: JwtPayload): void {
    if (this.claims.size >= CAPACITY) this.claims.delete(this.claims.keys().next().value!);
    this.claims.set(token, claims);
  }
}
