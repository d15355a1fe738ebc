// The Node flags `npm start` gives the bundle (package.json's start script), for whatever
// starts `dist/start.mjs` itself — the benchmarks, the test of `npm start` — so that it
// runs a node as an operator does.
import { readFileSync } from "node:fs";

export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: { start: string } }).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith("--"));
}
