// Publishes over HTTP to a reference server (keep-alive connections, requests not awaited
// one by one, so a slow answer does not slow the publishing rate; failures are counted).
// Two publishes of one queue may overtake each other on their way in: the peers' version
// gaps count those too. (Publishing each queue's updates one at a time instead ties the
// rate to the answer time, which on a busy machine holds publishes back by seconds.)
import http from "node:http";

export class HttpPublisher {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  failures = 0;

  constructor(private readonly port: number, private readonly headers: Record<string, string> = {}) {}

  post(path: string, body: string): void {
    const req = http.request(
      { host: "127.0.0.1", port: this.port, path, method: "POST", agent: this.agent, headers: { "content-type": "application/json", ...this.headers } },
      (res) => {
        if (res.statusCode! >= 300) this.failures++;
        res.resume();
      },
    );
    req.on("error", () => this.failures++);
    req.end(body);
  }

  close(): void {
    this.agent.destroy();
  }
}
