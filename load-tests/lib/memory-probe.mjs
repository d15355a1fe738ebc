// Preloaded into a server under test, and only there, when a benchmark measures its memory:
//   node --expose-gc --import ./load-tests/lib/memory-probe.mjs <server>  (MEMORY_PROBE_PORT=<port>)
// It answers on 127.0.0.1:<port>, beside the server and outside its code, so SmartQueue
// and the Node peers are read the same way and no deployment carries it:
//   GET /memory                 garbage collected first (twice: the first pass may only
//                               queue finalizers), then, once V8 has had a moment to give
//                               the freed pages back, process.memoryUsage() as JSON
//   GET /heap-snapshot?file=F   a V8 heap snapshot written to F (after the same collection)
// Plain JavaScript, not TypeScript: the SmartQueue node runs the bundle without tsx.
import { createServer } from "node:http";
import v8 from "node:v8";

const port = Number(process.env.MEMORY_PROBE_PORT);
if (!port) throw new Error("memory-probe: MEMORY_PROBE_PORT is not set");
if (typeof globalThis.gc !== "function") throw new Error("memory-probe: start the server with --expose-gc");

/** V8 unmaps the pages a collection freed on a background thread, soon after it. */
const UNMAP_MS = 500;

const collect = async () => {
  globalThis.gc();
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, UNMAP_MS));
};

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://probe");
  if (url.pathname === "/memory") {
    await collect();
    return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(process.memoryUsage()));
  }
  if (url.pathname === "/heap-snapshot" && url.searchParams.get("file")) {
    await collect();
    const file = v8.writeHeapSnapshot(url.searchParams.get("file"));
    return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ file }));
  }
  res.writeHead(404).end();
})
  .listen(port, "127.0.0.1")
  // It must not keep a stopping server alive.
  .unref();
