// Per-client limit on the auth routes (register, login, refresh, logout), which answer
// without a user and so are what a password-guessing client hammers. moleculer-web's
// own limiter is per route, and these share the /api route with everything else.
import ApiGateway from "moleculer-web";
import { errors } from "../../mixins/api/errors.ts";

const WINDOW_MS = 60_000;

export const AUTH_ACTIONS = new Set(["accounts.register", "accounts.login", "accounts.refresh", "accounts.logout"]);

interface HitStore {
  inc(key: string): number;
  resetTime: number;
}

export function authRateLimiter(limitPerMinute: number) {
  const { MemoryStore } = (ApiGateway as unknown as { RateLimitStores: { MemoryStore: new (windowMs: number) => HitStore } })
    .RateLimitStores;
  const store = new MemoryStore(WINDOW_MS);
  return (action: string, clientKey: string, setHeader: (name: string, value: string) => void) => {
    if (!AUTH_ACTIONS.has(action)) return;
    const remaining = limitPerMinute - store.inc(clientKey);
    setHeader("X-Rate-Limit-Limit", String(limitPerMinute));
    setHeader("X-Rate-Limit-Remaining", String(Math.max(0, remaining)));
    if (remaining < 0) {
      setHeader("Retry-After", String(Math.ceil((store.resetTime - Date.now()) / 1000)));
      throw errors.rateLimited();
    }
  };
}
