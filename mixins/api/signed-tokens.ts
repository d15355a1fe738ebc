// Signed tokens: HS256 JWTs under one of the deployment's own secrets, each with a type
// (`token_type`), a subject and an id. Sessions, office screens and rating links are made
// of them. Only HS256 with that secret is accepted: `alg: none` or another algorithm fails
// verification, and a token of one type is refused where another is asked for.
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { errors } from "./errors.ts";

// Given a string, jsonwebtoken first tries to parse it as a PEM public or private key and
// only then makes a secret key of it, on every call: that failed parse cost a fifth of a
// node's CPU when 10,000 screens reconnected. A key object made once skips it.
const secretKeys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  return key;
}

/** `payload` names its `token_type` and `sub`; an id (`jti`) and the expiry are added. */
export function signToken(payload: { token_type: string; sub: string; [claim: string]: unknown }, secret: string, ttlSeconds: number, issuer: string) {
  const jti = randomUUID();
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = jwt.sign({ ...payload, jti, exp }, keyOf(secret), { algorithm: "HS256", issuer });
  return { token, jti, exp };
}

/** The claims of a token of this type; 401 `token_expired` or `token_invalid` otherwise. */
export function verifyToken(token: string, secret: string, issuer: string, type: string): jwt.JwtPayload {
  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, keyOf(secret), { algorithms: ["HS256"], issuer });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw errors.tokenExpired();
    throw errors.tokenInvalid((err as Error).message);
  }
  if (typeof claims === "string" || claims.token_type !== type || !claims.sub || !claims.jti) {
    throw errors.tokenInvalid(`not a token of type '${type}'`);
  }
  return claims;
}
