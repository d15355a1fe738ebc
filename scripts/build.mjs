// `npm run build` (and before every `npm start`): the node as one JavaScript file,
// dist/start.mjs, so that a node starts without compiling its TypeScript first (tsx took
// seconds of every restart). Packages stay in node_modules; the project's own code is
// bundled. Takes a fraction of a second, so `npm start` always runs the code as it is.
import { build } from "esbuild";
import { buildPages } from "./build-pages.mjs";

await build({
  entryPoints: ["scripts/start.ts"],
  outfile: "dist/start.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
await buildPages();
