// What travels with every call in ctx.meta: who is calling, and where the HTTP request
// came from (so lists can build DRF-style absolute `next`/`previous` links).
export const ROLES = ["citizen", "agent", "org_admin", "platform_admin"] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  id: string;
  role: Role;
  organization_id: string | null;
  /** Access token id and expiry, so logout can blacklist exactly this token. */
  jti: string;
  exp: number;
}

export interface RequestInfo {
  /** e.g. "http://127.0.0.1:3000" */
  origin: string;
  /** e.g. "/api/business/organizations/" */
  path: string;
  query: Record<string, string>;
  /** The Idempotency-Key header, for creations that must happen once. */
  idempotency_key?: string;
  /** The client's address as the last trusted proxy saw it (TRUST_PROXY), else the socket's. */
  client_address: string;
}

export interface CallMeta {
  user?: AuthUser;
  request?: RequestInfo;
  /** Set by an action to make the gateway answer with another status (e.g. 201). */
  $statusCode?: number;
  $location?: string;
  /** Sent with a scheduled call (services/scheduler): the same on every attempt of it. */
  idempotency_key?: string;
}
