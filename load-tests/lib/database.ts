// The MongoDB-compatible server a load script writes to: MONGO_URL when set, else one
// started here in a temporary folder (FerretDB on this machine), optionally moved onto the
// bench's server core so the server side of a write benchmark has that core to itself.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { provideMongo } from "../../scripts/mongo-server.ts";
import { moveToServerCore } from "./rig.ts";

export interface Database {
  url: string;
  /** Null when MONGO_URL names a server elsewhere. */
  pid: number | null;
  stop(): Promise<void>;
}

/** `from`: a data folder to start from (copied; see lib/history.ts), when the server is started here. */
export async function startDatabase({ onServerCore = false, from }: { onServerCore?: boolean; from?: string } = {}): Promise<Database> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-load-"));
  if (from) cpSync(from, dataDir, { recursive: true });
  const mongo = await provideMongo({ mongoUrl: process.env.MONGO_URL, dataDir });
  const pid = mongo.pid;
  if (pid && onServerCore) moveToServerCore(pid);
  return {
    url: mongo.url,
    pid,
    async stop() {
      await mongo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
