// A local HTTP server that plays a provider: it records every request exactly as it came
// and answers with whatever the test's handler says.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  json?: unknown;
  /** Never answer: lets a test see the adapter's deadline. */
  hang?: boolean;
  /** Answer once this settles: the test decides when the provider answers. */
  after?: Promise<unknown>;
}

export type Handler = (req: Recorded) => Reply;

export interface StandIn {
  url: string;
  requests: Recorded[];
  handler: Handler;
  close(): Promise<void>;
}

export async function standIn(handler: Handler): Promise<StandIn> {
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: Recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      stand.requests.push(recorded);
      const reply = stand.handler(recorded);
      const answer = () => {
        const body = reply.json === undefined ? "" : JSON.stringify(reply.json);
        res.writeHead(reply.status, body ? { "content-type": "application/json" } : {});
        res.end(body);
      };
      if (!reply.hang && !reply.after) return answer();
      // Held, for ever or until `after` settles; dropped if the stand-in closes first.
      hanging.add(() => res.destroy());
      void reply.after?.then(() => res.destroyed || answer());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stand: StandIn = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    handler,
    close: async () => {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stand;
}

/** An address where nothing listens: connecting is refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export const json = (req: Recorded): any => JSON.parse(req.body);
export const form = (req: Recorded): Record<string, string> => Object.fromEntries(new URLSearchParams(req.body));
