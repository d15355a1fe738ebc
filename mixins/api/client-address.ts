// The client's address. Behind `trustedProxies` proxies that each append the address they
// received from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the client is the
// entry the outermost trusted proxy appended: counted from the right, after the proxies'
// own. Entries further left were written by the client and prove nothing; taking the
// leftmost let every request with a fresh header get a fresh rate-limit bucket.
import type { IncomingMessage } from "node:http";

/** From the X-Forwarded-For header(s) and the socket's peer. */
export function addressFrom(forwardedFor: string | string[] | undefined, peer: string, trustedProxies: number): string {
  if (trustedProxies <= 0) return peer;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  // The hops, nearest last: the socket's peer is the innermost proxy.
  const hops = [...forwarded, peer];
  return hops[hops.length - 1 - trustedProxies] ?? hops[0]!;
}

export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  return addressFrom(req.headers["x-forwarded-for"], req.socket.remoteAddress ?? "unknown", trustedProxies);
}
