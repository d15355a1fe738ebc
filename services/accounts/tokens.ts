// Signed tokens in the shape of djangorestframework-simplejwt: a short-lived access token
// and a refresh token that belongs to a rotation family; plus long-lived display tokens
// for office screens, good for one branch's live channels and nothing else; all signed
// and verified as mixins/api/signed-tokens.ts does (HS256 with our own secret only).
import type jwt from "jsonwebtoken";
import type { Config } from "../../config/index.ts";
import { errors } from "../../mixins/api/errors.ts";
import { signToken as sign, verifyToken as verifySignature } from "../../mixins/api/signed-tokens.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

type JwtConfig = Config["jwt"];

export interface AccessClaims {
  sub: string;
  jti: string;
  exp: number;
  /** The user's session epoch when it was issued (0 in tokens from before epochs). */
  sep: number;
}

/** `sub` is the branch whose screens the token serves. */
export type DisplayClaims = AccessClaims;

export interface RefreshClaims {
  sub: string;
  jti: string;
  fam: string;
  exp: number;
  sep: number;
}

/** Verified tokens per secret, issuer and type: a token good for one is checked anew for another. */
const verifiedTokens = new Map<string, VerifiedTokens>();
function verifiedFor(secret: string, issuer: string, type: string): VerifiedTokens {
  const key = `${type}\u0000${issuer}\u0000${secret}`;
  let verified = verifiedTokens.get(key);
  if (!verified) verifiedTokens.set(key, (verified = new VerifiedTokens()));
  return verified;
}

function verify(token: string, secret: string, issuer: string, type: "access" | "refresh" | "display"): jwt.JwtPayload {
  const verified = verifiedFor(secret, issuer, type);
  const known = verified.get(token);
  if (known === "expired") throw errors.tokenExpired();
  if (known) return known;
  const claims = verifySignature(token, secret, issuer, type);
  verified.remember(token, claims);
  return claims;
}

/** `epoch`: the user's session epoch (UserDoc.session_epoch). */
export function signAccess(config: JwtConfig, userId: string, epoch: number) {
  return sign({ sub: userId, sep: epoch, token_type: "access" }, config.accessSecret, config.accessTtlSeconds, config.issuer);
}

const claimsOf = (c: jwt.JwtPayload): AccessClaims => ({ sub: c.sub!, jti: c.jti!, exp: c.exp!, sep: typeof c.sep === "number" ? c.sep : 0 });

export function verifyAccess(config: JwtConfig, token: string): AccessClaims {
  return claimsOf(verify(token, config.accessSecret, config.issuer, "access"));
}

export function signRefresh(config: JwtConfig, userId: string, epoch: number, family: string) {
  return sign({ sub: userId, sep: epoch, fam: family, token_type: "refresh" }, config.refreshSecret, config.refreshTtlSeconds, config.issuer);
}

export function verifyRefresh(config: JwtConfig, token: string): RefreshClaims {
  const c = verify(token, config.refreshSecret, config.issuer, "refresh");
  if (typeof c.fam !== "string") throw errors.tokenInvalid("refresh token without a family");
  return { sub: c.sub!, jti: c.jti!, fam: c.fam, exp: c.exp!, sep: typeof c.sep === "number" ? c.sep : 0 };
}

// Display tokens share the access secret: verifyAccess refuses them by their type, so a
// screen's token never opens the REST API.
export function signDisplay(config: JwtConfig, branchId: string) {
  return sign({ sub: branchId, token_type: "display" }, config.accessSecret, config.displayTtlSeconds, config.issuer);
}

export function verifyDisplay(config: JwtConfig, token: string): DisplayClaims {
  return claimsOf(verify(token, config.accessSecret, config.issuer, "display"));
}
