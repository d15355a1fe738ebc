// The publish side of the Node reference servers: `POST /publish/<topic>` with the message
// as its body, answered 204 once the message has been handed to the fan-out. (Centrifugo
// takes the same publishes through its own HTTP API.)
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

export function publishEndpoint(fanOut: (topic: string, message: string) => void): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const match = req.method === "POST" && /^\/publish\/([^/?]+)$/.exec(req.url ?? "");
    if (!match) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      fanOut(decodeURIComponent(match[1]!), Buffer.concat(chunks).toString());
      res.writeHead(204).end();
    });
  };
}
