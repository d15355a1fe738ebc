// What every reference server of the displays benchmark is started with, on its command
// line: `<port> <token secret> <max backpressure bytes>`. Displays authenticate with an
// HS256 JWT signed with that secret, as SmartQueue's screens do with their display tokens.
import { createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";

export function peerArgs() {
  const [port, secret, maxBackpressure] = process.argv.slice(2);
  if (!port || !secret || !maxBackpressure) throw new Error("usage: <port> <token secret> <max backpressure bytes>");
  // A key object made once, as SmartQueue does (services/accounts/tokens.ts): given the
  // secret as a string, jsonwebtoken would try to parse a PEM key on every verification.
  return { port: Number(port), tokenKey: createSecretKey(Buffer.from(secret)), maxBackpressureBytes: Number(maxBackpressure) };
}

export function isValidToken(token: string | undefined | null, key: KeyObject): boolean {
  try {
    jwt.verify(token ?? "", key, { algorithms: ["HS256"] });
    return true;
  } catch {
    return false;
  }
}
