// What every reference server of the displays benchmark is started with, on its command
// line: `<port> <token secret> <max backpressure bytes>`. Displays authenticate with an
// HS256 JWT signed with that secret, as SmartQueue's screens do with their display tokens.
import jwt from "jsonwebtoken";

export function peerArgs() {
  const [port, secret, maxBackpressure] = process.argv.slice(2);
  if (!port || !secret || !maxBackpressure) throw new Error("usage: <port> <token secret> <max backpressure bytes>");
  return { port: Number(port), secret, maxBackpressureBytes: Number(maxBackpressure) };
}

export function isValidToken(token: string | undefined | null, secret: string): boolean {
  try {
    jwt.verify(token ?? "", secret, { algorithms: ["HS256"] });
    return true;
  } catch {
    return false;
  }
}
