// The office pages' browser code (public/src) as one small script per page, in
// dist/pages, served by the gateway with the pages' HTML and CSS (services/api/pages.ts).
// ES2017 so that a cheap TV stick's or an old tablet's browser runs it.
import { build } from "esbuild";

export const PAGES = ["display", "agent", "kiosk", "tracker", "rate"];

export async function buildPages() {
  await build({
    entryPoints: PAGES.map((page) => `public/src/${page}.ts`),
    outdir: "dist/pages",
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2017",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildPages();
