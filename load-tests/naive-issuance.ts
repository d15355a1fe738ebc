// The naive implementation of durable issuance (load-tests/peers/naive-tickets-server.ts:
// one insert per request) under the same closed-loop issuers as `tickets`, on the same
// kind of database, both on the server core. Checks that every acknowledged ticket is there.
import { fileURLToPath } from "node:url";
import { MongoClient } from "mongodb";
import { freePort } from "../scripts/mongo-server.ts";
import { closedLoops } from "./lib/closed-loop.ts";
import { httpRequest } from "./lib/http-client.ts";
import { startDatabase } from "./lib/database.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { costMeter, listening, spawnOnServerCore, stopChild } from "./lib/rig.ts";

const SERVER = fileURLToPath(new URL("./peers/naive-tickets-server.ts", import.meta.url));

export async function naiveIssuanceOnce({ seconds, issuers, queues }: { seconds: number; issuers: number; queues: number }) {
  const database = await startDatabase({ onServerCore: true });
  const port = await freePort();
  const server = spawnOnServerCore(process.execPath, ["--import", "tsx", SERVER, String(port), database.url], { stdio: ["ignore", 2, 2] });
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
    const db = database.pid ? costMeter(database.pid) : null;
    const elapsed = await closedLoops(seconds, Array.from({ length: issuers }, (_, n) => issuer(n)));
    const costs = { node: node.stop(), database: db?.stop() ?? null };
    const client = await new MongoClient(database.url).connect();
    const stored = await client.db().collection("naive_tickets").countDocuments({ _id: { $in: acked as never[] } });
    await client.close();
    return { tickets_per_s: Math.round(acked.length / elapsed), tickets_acknowledged: acked.length, issue: issue.summary(), acknowledged_but_missing: acked.length - stored, costs };
  } finally {
    await stopChild(server);
    await database.stop();
  }
}
