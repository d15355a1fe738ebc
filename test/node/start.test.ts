// `npm start` as a user runs it: the node built into one JavaScript file (npm run build,
// which npm start runs first) and started as a separate process on embedded defaults,
// which starts its own MongoDB-compatible server when MONGO_URL is not set.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/mongo-server.ts";
import { startFlags } from "../../scripts/start-flags.ts";
import { readyAfterIn } from "../../services/live/metrics.ts";
import { waitUntilReady } from "../support/system.ts";

function startScript(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { MONGO_URL, ...inherited } = process.env;
  const child = spawn(process.execPath, [...startFlags(), "dist/start.mjs"], {
    env: { ...inherited, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe("npm start", () => {
  let dataDir: string;
  before(() => assert.equal(spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" }).status, 0, "npm run build"));
  beforeEach(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), "smartqueue-start-"))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("serves /health/ready with its own database, exposes metrics, and stops cleanly on SIGTERM", async function () {
    this.timeout(90_000);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const run = startScript({ PORT: String(port), WS_PORT: String(await freePort()), METRICS_PORT: String(metricsPort), DATA_DIR: dataDir });
    try {
      const started = Date.now();
      await waitUntilReady(`http://127.0.0.1:${port}`, 60_000);
      assert.ok(Date.now() - started < 60_000);
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
      assert.match(metrics, /# TYPE moleculer_/);
      // How long after the process started its live port listened, then admitted: from the node itself.
      const [listening, admitting] = [readyAfterIn(metrics, "listening"), readyAfterIn(metrics, "admitting")];
      assert.ok(listening !== null && admitting !== null && listening > 0 && listening <= admitting, metrics);
    } finally {
      run.child.kill("SIGTERM");
    }
    assert.equal(await run.exited, 0, run.output());
  });

  it("never writes what a request carried to its log, even at debug level", async function () {
    this.timeout(90_000);
    const port = await freePort();
    const run = startScript({ PORT: String(port), WS_PORT: String(await freePort()), METRICS_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "debug" });
    const secret = `Secret-${Date.now()}-pw`;
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`, 60_000);
      const login = await fetch(`http://127.0.0.1:${port}/api/accounts/auth/login/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ phone: "+221770009999", password: secret }),
      });
      assert.equal(login.status, 401);
      assert.match(run.output(), /"level":20/, "debug lines are written");
    } finally {
      run.child.kill("SIGTERM");
    }
    await run.exited;
    assert.ok(!run.output().includes(secret), "the password appears in the log");
  });

  it("is what the Dockerfile runs too: the bundle with npm start's flags", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync("Dockerfile", "utf8"))?.[1];
    assert.deepEqual(JSON.parse(cmd ?? "null"), ["node", ...startFlags(), "dist/start.mjs"]);
  });

  it("stops at once with one line naming a bad setting", async function () {
    this.timeout(30_000);
    const run = startScript({ PORT: "not-a-port", DATA_DIR: dataDir });
    assert.equal(await run.exited, 1);
    const lines = run.output().trim().split("\n").filter((l) => !l.includes("npm warn"));
    assert.deepEqual(lines, ["Invalid configuration: PORT Invalid input: expected number, received NaN"]);
  });
});
