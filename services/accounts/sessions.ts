// Sessions: login, refresh-token rotation with reuse detection, logout, and turning a
// bearer token into the caller. A refresh token can be exchanged once; presenting it a
// second time means it leaked, so its whole family (every descendant) is revoked.
import { randomUUID } from "node:crypto";
import type { Config } from "../../config/index.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { spendPasswordCheck, verifyPassword } from "./passwords.ts";
import type { AccountsStore, UserDoc } from "./store.ts";
import { signAccess, signRefresh, verifyAccess, verifyRefresh } from "./tokens.ts";
import type { SessionCache } from "./session-cache.ts";
import { findByLogin } from "./users.ts";

type JwtConfig = Config["jwt"];

export interface TokenPair {
  access: string;
  refresh: string;
}

/** A token pair for the user as stored now (its id and session epoch). */
export async function issueTokens(store: AccountsStore, jwt: JwtConfig, user: { id: string; session_epoch?: number }, family: string = randomUUID()): Promise<TokenPair> {
  const userId = user.id;
  const epoch = user.session_epoch ?? 0;
  const access = signAccess(jwt, userId, epoch);
  const refresh = signRefresh(jwt, userId, epoch, family);
  await store.refreshTokens.create({
    _id: refresh.jti,
    family,
    user_id: userId,
    expires_at: new Date(refresh.exp * 1000),
  });
  return { access: access.token, refresh: refresh.token };
}

/** Checks credentials; the same error for an unknown login and a wrong password. */
export async function checkCredentials(store: AccountsStore, loginKey: string, password: string) {
  const user = await findByLogin(store, loginKey);
  const valid = user ? await verifyPassword(password, user.password_hash) : await spendPasswordCheck(password);
  if (!user || !valid || !user.is_active) throw errors.badCredentials();
  return user;
}

const PASSWORD_CHANGED = "the password was changed since this token was issued; sign in again";

export async function rotateRefresh(store: AccountsStore, jwt: JwtConfig, token: string): Promise<TokenPair> {
  const claims = verifyRefresh(jwt, token);
  const current = await store.refreshTokens.findById(claims.jti).lean();
  if (!current) throw errors.tokenInvalid("unknown refresh token");
  if (current.revoked_at && !current.used_at) throw errors.tokenInvalid("refresh token revoked");
  // Spending is an insert under a unique _id, the one write that is atomic on MongoDB and
  // FerretDB alike (FerretDB's conditional findOneAndUpdate lets concurrent callers all
  // win), so of two concurrent refreshes exactly one succeeds.
  if (!(await claimOnce(store.refreshUses, claims.jti, { expires_at: current.expires_at }))) {
    await revokeFamily(store, current.family);
    throw errors.refreshReused();
  }
  await store.refreshTokens.updateOne({ _id: claims.jti }, { used_at: new Date() });
  if (current.revoked_at) throw errors.tokenInvalid("refresh token revoked");
  const user = await store.users.findById(current.user_id).lean();
  if (!user || !user.is_active) throw errors.tokenInvalid("the account is no longer active");
  if (claims.sep !== (user.session_epoch ?? 0)) throw errors.tokenInvalid(PASSWORD_CHANGED);
  return issueTokens(store, jwt, { id: current.user_id, session_epoch: user.session_epoch }, current.family);
}

export async function revokeFamily(store: AccountsStore, family: string): Promise<void> {
  await store.refreshTokens.updateMany({ family, revoked_at: null }, { revoked_at: new Date() });
}

/** Blacklists the access token until it expires and revokes the refresh token's family. */
export async function logout(store: AccountsStore, jwt: JwtConfig, caller: AuthUser, refreshToken: string): Promise<void> {
  const claims = verifyRefresh(jwt, refreshToken);
  if (claims.sub !== caller.id) throw errors.forbidden("log out another user's session");
  await store.revokedAccess.updateOne(
    { _id: caller.jti },
    { $set: { expires_at: new Date(caller.exp * 1000) } },
    { upsert: true },
  );
  const stored = await store.refreshTokens.findById(claims.jti).lean();
  if (stored) await revokeFamily(store, stored.family);
}

/** Resolves a bearer access token into the caller, with the role as stored now (or as
 * remembered for a few seconds: see session-cache.ts). */
export async function authenticate(store: AccountsStore, jwt: JwtConfig, token: string, cache?: SessionCache): Promise<AuthUser> {
  const claims = verifyAccess(jwt, token);
  const known = cache?.get(claims.jti);
  if (known) return known;
  const [revoked, user] = await Promise.all([
    store.revokedAccess.exists({ _id: claims.jti }),
    store.users.findById(claims.sub).lean<UserDoc & { _id: unknown }>(),
  ]);
  if (revoked) throw errors.tokenInvalid("this token was revoked by logout");
  if (!user || !user.is_active) throw errors.tokenInvalid("the account is no longer active");
  if (claims.sep !== (user.session_epoch ?? 0)) throw errors.tokenInvalid(PASSWORD_CHANGED);
  const caller: AuthUser = { id: claims.sub, role: user.role, organization_id: user.organization_id, jti: claims.jti, exp: claims.exp };
  cache?.remember(caller.jti, caller);
  return caller;
}

/** Forgets revocations and refresh tokens that have expired anyway. */
export async function purgeExpired(store: AccountsStore, now = new Date()): Promise<void> {
  await store.revokedAccess.deleteMany({ expires_at: { $lt: now } });
  await store.refreshTokens.deleteMany({ expires_at: { $lt: now } });
  await store.refreshUses.deleteMany({ expires_at: { $lt: now } });
  await store.loginFailures.deleteMany({ expires_at: { $lt: now } });
}
