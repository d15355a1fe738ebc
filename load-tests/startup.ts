// How long a node takes from its process starting to answering /health/ready, started as
// `npm start` does (the bundle dist/start.mjs, built first) and as the tests and the other
// load scripts do (TypeScript through tsx), in alternation, against one running database.
// `npm run load:startup -- [runs=3]`; JSON on stdout.
import { spawn } from "node:child_process";
import { freePort } from "../scripts/mongo-server.ts";
import { startDatabase } from "./lib/database.ts";
import { sleep, stopChild } from "./lib/rig.ts";

const WAYS = { bundle: ["dist/start.mjs"], tsx: ["--import", "tsx", "scripts/start.ts"] } as const;

async function msToReady(args: readonly string[], mongoUrl: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    env: { ...process.env, NODE_ENV: "test", PORT: String(port), WS_PORT: String(await freePort()), METRICS_PORT: "0", MONGO_URL: mongoUrl, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    while ((await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0)) !== 200) {
      if (child.exitCode !== null) throw new Error(`the node exited with ${child.exitCode}`);
      await sleep(10);
    }
    return Math.round(performance.now() - started);
  } finally {
    await stopChild(child, 15_000);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function startupOnce(runs: number) {
  const built = spawn("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  await new Promise((resolve) => built.once("exit", resolve));
  const database = await startDatabase({});
  try {
    const ms: Record<keyof typeof WAYS, number[]> = { bundle: [], tsx: [] };
    for (let run = 0; run < runs; run++) for (const way of ["bundle", "tsx"] as const) ms[way].push(await msToReady(WAYS[way], database.url));
    return { runs, ms_to_ready: ms, median_ms: { bundle: median(ms.bundle), tsx: median(ms.tsx) } };
  } finally {
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await startupOnce(Number(process.argv[2] ?? 3))));
  process.exit(0);
}
