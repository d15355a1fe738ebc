// The office pages (issue 15): the TV display, the agent console, the kiosk, the
// citizen's ticket tracker and the rating page the served message links to (issue 14),
// served by the gateway itself as static files: the HTML and CSS from public/, the scripts
// built from public/src into dist/pages (scripts/build-pages.mjs), and the call clips an
// operator recorded (CALL_CLIPS_DIR). The HTML is given where the live channels are, which
// the page cannot know behind a proxy.
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errors } from "../../mixins/api/errors.ts";
import { errorResponse } from "./error-response.ts";

export const PAGE_NAMES = ["display", "agent", "kiosk", "tracker", "rate"] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** The project's root, from this module in services/api/ or from the bundle in dist/. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("office pages: no package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

const root = projectRoot();
const ASSET_TYPES: Record<string, string> = { ".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json; charset=utf-8" };
const ASSET_NAME = /^[a-z-]+\.(js|css|js\.map)$/;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" });
  res.end(body);
}

const TITLES: Record<PageName, string> = { display: "écran", agent: "guichet", kiosk: "borne", tracker: "mon ticket", rate: "noter mon passage" };

/** `GET /display/` and the like: the page's body (public/<page>.html) in the pages' one
 * head, told where the live channels are (an empty url: the page's host on WS_PORT). */
export function servePage(page: PageName, live: { url: string | null; port: number }) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const body = readFileSync(path.join(root, "public", `${page}.html`), "utf8");
    const html = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="smartqueue-live-url" content="${live.url ?? ""}">
<meta name="smartqueue-live-port" content="${live.port}">
<title>SmartQueue — ${TITLES[page]}</title>
<link rel="stylesheet" href="/pages/pages.css">
<script defer src="/pages/${page}.js"></script>
</head>
${body}</html>
`;
    send(res, 200, "text/html; charset=utf-8", html);
  };
}

/** `GET /pages/<file>`: a built script (dist/pages) or the shared stylesheet (public). */
export function serveAsset(req: IncomingMessage & { $params?: { file?: string } }, res: ServerResponse): void {
  const file = req.$params?.file ?? "";
  const type = ASSET_NAME.test(file) ? ASSET_TYPES[path.extname(file)] : undefined;
  const where = file.endsWith(".css") ? path.join(root, "public", file) : path.join(root, "dist", "pages", file);
  if (!type || !existsSync(where)) return notFound(res);
  send(res, 200, type, readFileSync(where));
}

function notFound(res: ServerResponse): void {
  const { status, body } = errorResponse(errors.routeNotFound(), 0);
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

const CLIP_TYPES: Record<string, string> = { ".json": "application/json; charset=utf-8", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".wav": "audio/wav", ".m4a": "audio/mp4" };
const CLIP_LANG = /^[a-z]{2,8}$/;
const CLIP_NAME = /^[\w-]{1,64}\.(json|mp3|ogg|wav|m4a)$/;

/** `GET /clips/<lang>/<file>`: a recorded clip, or the language's clips.json, from the operator's folder. */
export function serveClip(clipsDir: string) {
  return (req: IncomingMessage & { $params?: { lang?: string; file?: string } }, res: ServerResponse): void => {
    const { lang = "", file = "" } = req.$params ?? {};
    const where = path.resolve(clipsDir, lang, file);
    if (!CLIP_LANG.test(lang) || !CLIP_NAME.test(file) || !existsSync(where)) return notFound(res);
    send(res, 200, CLIP_TYPES[path.extname(file)], readFileSync(where));
  };
}
