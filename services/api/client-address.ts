// The client's address. Behind `trustedProxies` proxies that each append the address they
// received from to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the client is the
// entry the outermost trusted proxy appended: counted from the right, after the proxies'
// own. Entries further left were written by the client and prove nothing; taking the
// leftmost let every request with a fresh header get a fresh rate-limit bucket.
import type { IncomingMessage } from "node:http";

export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socket = req.socket.remoteAddress ?? "unknown";
  if (trustedProxies <= 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  // The hops, nearest last: the socket's peer is the innermost proxy.
  const hops = [...forwarded, socket];
  return hops[hops.length - 1 - trustedProxies] ?? hops[0]!;
}
