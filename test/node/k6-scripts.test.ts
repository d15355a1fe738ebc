// The k6 scripts (load-tests/k6/) for performance engineers cannot run here: k6 is not a
// dependency (its licence, AGPL-3.0, is outside the project's dependency policy). What
// keeps them honest: they type-check against the k6 type definitions on their own
// tsconfig, every request they make comes from the catalogue the Node harnesses send too
// (load-tests/lib/public-api.ts), and that catalogue is checked against the gateway's
// OpenAPI document and played, in the scripts' order, against a running node.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import WebSocket from "ws";
import * as catalogue from "../../load-tests/lib/public-api.ts";
import { officeDayTicket } from "../../load-tests/lib/office-day-mix.ts";
import { aPhone, PASSWORD } from "../support/fixtures.ts";
import { call, get } from "../support/http.ts";
import { LiveClient } from "../support/live-client.ts";
import { ADMIN, system } from "../support/system.ts";

const run = promisify(execFile);
const K6_DIR = "load-tests/k6";
const SCRIPTS = ["tickets.ts", "call-next.ts", "displays.ts", "office-day.ts"];

/** The TypeScript files under a folder, as paths from the project root. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => path.join(dir, file));

async function tsc(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["node_modules/typescript/bin/tsc", ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Sends a request of the catalogue to the run's node; fails, naming the route, unless the status is `expected`. */
async function send(request: catalogue.ApiRequest, token: string | undefined, expected: number): Promise<any> {
  const reply = await call(request.method, request.path, request.body, { token });
  assert.equal(reply.status, expected, `${request.method} ${request.route}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

describe("k6 scripts (load-tests/k6/)", function () {
  // The compiler is started as a process and checks every script: a bound on failure.
  this.timeout(120_000);

  it("type-check on their own tsconfig against the k6 type definitions, every script included", async () => {
    const { code, output } = await tsc("--noEmit", "-p", K6_DIR, "--listFiles");
    assert.equal(code, 0, `tsc -p ${K6_DIR} reported errors:\n${output}`);
    for (const script of SCRIPTS) assert.ok(output.includes(path.resolve(K6_DIR, script)), `${script} is not in ${K6_DIR}/tsconfig.json's files`);
    assert.ok(output.includes("node_modules/@types/k6/"), "checked without the k6 type definitions");
    assert.ok(!output.includes("node_modules/@types/node/"), "Node's types leaked into the k6 scripts' check");
  });

  it("send every request through the catalogue the Node harnesses send theirs through", () => {
    for (const file of sources(K6_DIR)) {
      const source = readFileSync(file, "utf8");
      assert.doesNotMatch(source, /["'`]\/(api|ws)\//, `${file} writes a path of its own instead of the catalogue's`);
      // Type-only imports send nothing.
      if (/^import (?!type )[^;]*from "k6\/http"/m.test(source)) assert.equal(file, `${K6_DIR}/lib/http.ts`, `${file} sends HTTP requests outside lib/http.ts`);
      if (/^import (?!type )[^;]*from "k6\/(ws|websockets|experimental\/websockets)"/m.test(source)) assert.equal(file, `${K6_DIR}/lib/screen.ts`, `${file} opens sockets outside lib/screen.ts`);
    }
    for (const harness of ["load-tests/tickets.ts", "load-tests/call-next.ts", "load-tests/office-day.ts", "load-tests/lib/fixtures.ts"]) {
      assert.doesNotMatch(readFileSync(harness, "utf8"), /["'`]\/api\//, `${harness} writes a path of its own instead of the catalogue's`);
    }
  });

  it("call only routes the gateway's OpenAPI document has, with body fields their schemas know", async () => {
    const doc = (await get("/api/openapi.json")).body;
    const builders = Object.entries(catalogue).filter(([name]) => name !== "queueChannel") as Array<[string, (...ids: string[]) => catalogue.ApiRequest]>;
    assert.ok(builders.length >= 10, "the catalogue's request builders");
    for (const [name, build] of builders) {
      const request = build("id-1", "id-2", "id-3");
      const operation = doc.paths[request.route]?.[request.method.toLowerCase()];
      assert.ok(operation, `${name}: ${request.method} ${request.route} is not in the OpenAPI document`);
      assert.equal(request.path, request.route.replace("{id}", "id-1"), `${name}: its path is not its route`);
      const known = Object.keys(operation.requestBody?.content["application/json"].schema.properties ?? {});
      for (const field of Object.keys(request.body ?? {})) assert.ok(known.includes(field), `${name}: ${request.route} knows no body field ${field}`);
    }
  });

  it("play the scripts' sequence against a node: set-up, tickets issued, called, started and completed, seen on a screen", async () => {
    const admin = (await send(catalogue.signIn(ADMIN.phone, ADMIN.password), undefined, 200)).access;
    const organization = await send(catalogue.createOrganization("Banque k6", "bank"), admin, 201);
    const branch = await send(catalogue.createBranch(organization.id, "Agence Plateau"), admin, 201);
    const queue = await send(catalogue.createQueue(organization.id, branch.id, "File 0"), admin, 201);
    const counter = await send(catalogue.createCounter(queue.id, "Guichet 1"), admin, 201);
    const agentPhone = aPhone();
    await send(catalogue.createAgent(agentPhone, PASSWORD, organization.id), admin, 201);
    const agent = (await send(catalogue.signIn(agentPhone, PASSWORD), undefined, 200)).access;
    const citizen = (await send(catalogue.registerCitizen(aPhone(), PASSWORD), undefined, 201)).access;
    const displayToken = (await send(catalogue.createDisplayToken(branch.id, "Écran de charge"), admin, 201)).token;

    const socket = new WebSocket(catalogue.queueChannel(`ws://127.0.0.1:${system().config.wsPort}`, queue.id, displayToken));
    const screen = new LiveClient(socket);
    try {
      const snapshot = await screen.next("snapshot");
      await send(catalogue.issueMobileTicket(queue.id), citizen, 201);
      await send(officeDayTicket(0, queue.id).request, agent, 201);
      await send(catalogue.issueKioskTicket(queue.id), agent, 201);
      assert.equal((await send(catalogue.queueStatus(queue.id), citizen, 200)).waiting_count, 3);
      for (let served = 0; served < 3; served++) {
        const called = await send(catalogue.callNext(queue.id, counter.id), agent, 200);
        await send(catalogue.startTicket(called.id), agent, 200);
        await send(catalogue.completeTicket(called.id), agent, 200);
      }
      // Nobody waiting: what the scripts' counters read as "wait and call again".
      await send(catalogue.callNext(queue.id, counter.id), agent, 409);

      const delta = await screen.next("delta");
      assert.equal(delta.from_version, snapshot.version + 1, "the screen's first delta follows on from its snapshot");
      assert.equal(typeof delta.sent_at, "number", "a delta carries sent_at, the scripts' publish→screen clock");
    } finally {
      screen.close();
    }
  });
});
