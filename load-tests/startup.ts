// How long a node takes from its process starting to answering /health/ready, started as
// `npm start` does (the bundle dist/start.mjs, built first) and as the tests do
// (TypeScript through tsx), in alternation, against one running database; and how long a
// node running only the live service (a restarted live gateway, over NATS) takes to
// accept connections on its live port.
// `npm run load:startup -- [runs=3]`; JSON on stdout.
import { randomUUID } from "node:crypto";
import { NATS_URL } from "./lib/cluster.ts";
import { startDatabase } from "./lib/database.ts";
import { figure } from "./lib/runs.ts";
import { startNode } from "./lib/system-under-test.ts";

export async function startupOnce(runs: number) {
  const database = await startDatabase({});
  try {
    const ms = { bundle: [] as number[], tsx: [] as number[], live: [] as number[] };
    const liveOnly = { NATS_URL, NAMESPACE: `startup-${randomUUID().slice(0, 8)}`, SERVICES: "live" };
    for (let run = 0; run < runs; run++) {
      for (const way of ["bundle", "tsx", "live"] as const) {
        const node = await startNode(database.url, way === "live" ? liveOnly : {}, { tsx: way === "tsx" });
        ms[way].push(node.readyMs);
        await node.stop();
      }
    }
    return { runs, ms_to_ready: { bundle: figure(ms.bundle), tsx: figure(ms.tsx) }, live_only_ms_to_listening: figure(ms.live) };
  } finally {
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await startupOnce(Number(process.argv[2] ?? 3))));
  process.exit(0);
}
