// The naive implementation of durable issuance (load-tests/peers/naive-tickets-server.ts:
// one insert per request) under the same closed-loop issuers as `tickets`, on the same
// kind of database, both on the server core. Checks that every acknowledged ticket is there.
// `httpFloorOnce`: the same server storing nothing, so what a request costs before any
// database (the issuers' core, not the server's, is what limits its rate).
import { fileURLToPath } from "node:url";
import { MongoClient } from "mongodb";
import { freePort } from "../scripts/mongo-server.ts";
import { closedLoops } from "./lib/closed-loop.ts";
import { httpRequest } from "./lib/http-client.ts";
import { startDatabase } from "./lib/database.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { costMeter, listening, spawnOnServerCore, stopChild } from "./lib/rig.ts";

const SERVER = fileURLToPath(new URL("./peers/naive-tickets-server.ts", import.meta.url));

interface IssuersOptions {
  seconds: number;
  issuers: number;
  queues: number;
}

export async function naiveIssuanceOnce(options: IssuersOptions) {
  const database = await startDatabase({ onServerCore: true });
  try {
    const { acked, ...run } = await issueTo(options, database);
    const client = await new MongoClient(database.url).connect();
    const stored = await client.db().collection("naive_tickets").countDocuments({ _id: { $in: acked as never[] } });
    await client.close();
    return { ...run, acknowledged_but_missing: acked.length - stored };
  } finally {
    await database.stop();
  }
}

export async function httpFloorOnce(options: IssuersOptions) {
  const { acked: _acked, ...run } = await issueTo(options, null);
  return run;
}

/** Closed-loop issuers against the naive server, storing into `database` (its process's costs measured too) or nowhere. */
async function issueTo({ seconds, issuers, queues }: IssuersOptions, database: { url: string; pid?: number | null } | null) {
  const port = await freePort();
  const server = spawnOnServerCore(process.execPath, ["--import", "tsx", SERVER, String(port), database?.url ?? "none"], { stdio: ["ignore", 2, 2] });
  try {
    await listening(port, server);
    const issue = new Latencies();
    const acked: string[] = [];
    const issuer = (n: number) => {
      let i = n;
      return async () => {
        const queueId = `queue-${i++ % queues}`;
        const res = await timed(issue, () => httpRequest(`http://127.0.0.1:${port}/tickets`, { method: "POST", body: JSON.stringify({ queue_id: queueId }) }));
        if (res.status !== 201) throw new Error(`naive issue: ${res.status} ${res.text}`);
        acked.push((JSON.parse(res.text) as { id: string }).id);
      };
    };
    const node = costMeter(server.pid!);
    const db = database?.pid ? costMeter(database.pid) : null;
    const elapsed = await closedLoops(seconds, Array.from({ length: issuers }, (_, n) => issuer(n)));
    const costs = { node: node.stop(), database: db?.stop() ?? null };
    return { tickets_per_s: Math.round(acked.length / elapsed), tickets_acknowledged: acked.length, issue: issue.summary(), costs, acked };
  } finally {
    await stopChild(server);
  }
}
