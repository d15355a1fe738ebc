// Swagger UI at /api/docs, served from the swagger-ui-dist package (no CDN: offices may
// run offline). Only the three files the page needs are served.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { errors } from "../../mixins/api/errors.ts";

const distDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "application/javascript; charset=utf-8",
};

export function swaggerAsset(file: string): { type: string; content: Buffer } {
  const type = ASSETS[file];
  if (!type) throw errors.routeNotFound();
  return { type, content: readFileSync(path.join(distDir, file)) };
}

export function swaggerPage(): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>SmartQueue API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });</script>
</body></html>`;
}
