// The MongoDB-compatible server a load script writes to: MONGO_URL when set, else one
// started here in a temporary folder (FerretDB on this machine), optionally moved onto the
// bench's server core so the server side of a write benchmark has that core to itself.
// `postgresql`: FerretDB on PostgreSQL instead of SQLite (these machines run PostgreSQL 15
// on 127.0.0.1:5432, trust auth; POSTGRESQL_URL names another server), in a database
// created for the run and dropped after it.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { provideMongo } from "../../scripts/mongo-server.ts";
import { moveToServerCore } from "./rig.ts";

export interface Database {
  url: string;
  /** Null when MONGO_URL names a server elsewhere. */
  pid: number | null;
  /** What serves it: "sqlite" or "postgresql" for FerretDB started here, else "configured" or "mongod". */
  backend: string;
  stop(): Promise<void>;
}

const POSTGRESQL = process.env.POSTGRESQL_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** `from`: a data folder to start from (copied; see lib/history.ts), when the server is started here. */
export async function startDatabase({ onServerCore = false, from, postgresql = false }: { onServerCore?: boolean; from?: string; postgresql?: boolean } = {}): Promise<Database> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-load-"));
  if (from) cpSync(from, dataDir, { recursive: true });
  const pgDatabase = postgresql ? `smartqueue_load_${path.basename(dataDir).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, "x")}` : null;
  if (pgDatabase) psql(`CREATE DATABASE ${pgDatabase}`);
  const postgresqlUrl = pgDatabase ? Object.assign(new URL(POSTGRESQL), { pathname: `/${pgDatabase}` }).href : undefined;
  const mongo = await provideMongo({ mongoUrl: process.env.MONGO_URL, dataDir, postgresqlUrl, cores: onServerCore ? 1 : undefined });
  const pid = mongo.pid;
  if (pid && onServerCore) moveToServerCore(pid);
  return {
    url: mongo.url,
    pid,
    backend: mongo.source === "ferretdb" ? (pgDatabase ? "postgresql" : "sqlite") : mongo.source,
    async stop() {
      await mongo.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (pgDatabase) psql(`DROP DATABASE IF EXISTS ${pgDatabase}`);
    },
  };
}

function psql(command: string): void {
  execFileSync("psql", [POSTGRESQL, "-v", "ON_ERROR_STOP=1", "-qc", command], { stdio: ["ignore", "ignore", "inherit"] });
}
