// The load scripts' HTTP client: node:http over kept-alive connections. The closed loops
// used fetch before, and fetch's own work on the load core was part of every latency they
// reported: with 20 counters in flight, call-next's p50 as the loops saw it was 4.6 to
// 5.6 ms above the node's own time for the request (its 'request' to its 'finish'), and
// 2.7 to 3.7 ms above it with this client; the node's own time did not change
// (docs/bench-runs/2026-12-05-load-client.md). k6, which the operators run, is a Go client.
import http from "node:http";

/**
 * One pool for every load script: a connection per request in flight, kept between
 * requests, as a browser or k6 keeps them. An idle connection is closed after 4 s, before
 * the node's own 5 s (node:http's keepAliveTimeout): without an agent timeout, node's
 * agent ignores the server's `Keep-Alive: timeout=5` hint and keeps idle sockets for ever,
 * so a request sent on one just as the node closed it failed with "socket hang up"
 * (ECONNRESET) between two rounds of the full bench.
 */
const keptAlive = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 });

export interface HttpAnswer {
  status: number;
  text: string;
}

export function httpRequest(url: string, { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const sized = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const req = http.request(url, { method, headers: sized, agent: keptAlive }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
