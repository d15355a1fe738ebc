// `npm run build` (and before every `npm start`): the node as JavaScript in dist/, so that
// a node starts without compiling its TypeScript first (tsx took seconds of every
// restart). Packages stay in node_modules; the project's own code is bundled, split at
// the services' dynamic imports (services/catalog.ts) so that a node loads only the code,
// and the packages, of the services it runs (a live-only node listened 0.8 s sooner:
// `npx tsx load-tests/startup.ts`). Takes a fraction of a second, so `npm start` always
// runs the code as it is.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { buildPages } from "./build-pages.mjs";

// The chunks' names carry a hash of their content: the last build's would pile up.
mkdirSync("dist", { recursive: true });
for (const file of readdirSync("dist")) if (/\.mjs(\.map)?$/.test(file)) rmSync(`dist/${file}`);
await build({
  entryPoints: ["scripts/start.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  outExtension: { ".js": ".mjs" },
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
await buildPages();
