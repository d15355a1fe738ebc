// The driver's side of memory-probe.mjs: the flags and environment that load it into a
// Node server under test, and its readings (taken after a forced garbage collection).
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/mongo-server.ts";

const PROBE = fileURLToPath(new URL("./memory-probe.mjs", import.meta.url));

/** process.memoryUsage() of the server, in bytes, after a full garbage collection. */
export interface MemoryReading {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryProbe {
  /** Node flags, before the server's entry. */
  nodeFlags: string[];
  env: { MEMORY_PROBE_PORT: string };
  read(): Promise<MemoryReading>;
  /** Writes a V8 heap snapshot of the server to `file`. */
  heapSnapshot(file: string): Promise<void>;
}

export async function memoryProbe(): Promise<MemoryProbe> {
  const port = await freePort();
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    if (!res.ok) throw new Error(`memory probe ${path}: ${res.status}`);
    return res.json();
  };
  return {
    nodeFlags: ["--expose-gc", "--import", PROBE],
    env: { MEMORY_PROBE_PORT: String(port) },
    read: () => get("/memory") as Promise<MemoryReading>,
    heapSnapshot: async (file) => void (await get(`/heap-snapshot?file=${encodeURIComponent(file)}`)),
  };
}
