// GET /api/locations/communes/ over the running node, and the operator's import command.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { get } from "../support/http.ts";
import { mongoUrl, system } from "../support/system.ts";

const run = promisify(execFile);

describe("GET /api/locations/communes/", function () {
  this.timeout(60_000);
  let citizen: Session;
  before(async () => {
    citizen = await aCitizen();
  });
  const communes = (query: string) => get(`/api/locations/communes/?${query}`, { token: citizen.access });

  it("finds communes by name or alias without accents or case, with their department and centroid", async () => {
    const reply = await communes("search=MEDINA");
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.results.map((c: { name: string }) => c.name), ["Médina", "Médina Gounass"]);
    const medina = reply.body.results[0];
    assert.equal(medina.department, "Dakar");
    assert.equal(medina.region, "Dakar");
    assert.equal(typeof medina.latitude, "number");
    assert.equal(typeof medina.longitude, "number");
  });

  it("filters by region and department, given without accents", async () => {
    const reply = await communes("region=dakar&department=guediawaye");
    assert.equal(reply.status, 200);
    assert.equal(reply.body.count, 5);
    assert.ok(reply.body.results.every((c: { department: string }) => c.department === "Guédiawaye"));
  });

  it("pages as DRF does, ordered by name without accents", async () => {
    const first = await communes("region=Dakar&page_size=10");
    assert.equal(first.body.count, 53);
    assert.match(first.body.next, /page=2/);
    assert.equal(first.body.previous, null);
    const names = first.body.results.map((c: { name: string }) => c.name);
    assert.deepEqual(names, [...names].sort((a: string, b: string) => a.normalize("NFD").replace(/\p{M}/gu, "").localeCompare(b.normalize("NFD").replace(/\p{M}/gu, ""))));
    const last = await communes("region=Dakar&page_size=10&page=6");
    assert.equal(last.body.results.length, 3);
    const byDepartment = await communes("region=Dakar&ordering=-department&page_size=1");
    assert.equal(byDepartment.body.results[0].department, "Rufisque");
  });

  it("refuses bad input with the documented error shape", async () => {
    for (const query of ["page_size=1000", "page=0", "ordering=latitude", "colour=blue", `search=${"a".repeat(101)}`]) {
      const reply = await communes(query);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.error.code, "validation_failed");
    }
    assert.equal((await communes("page=99")).status, 404);
  });

  it("asks for a signed-in caller", async () => {
    const reply = await get("/api/locations/communes/");
    assert.equal(reply.status, 401);
    assert.equal(reply.body.error.code, "not_authenticated");
  });
});

describe("npm run import:communes", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "communes-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const importing = (file: string) =>
    run(process.execPath, ["--import", "tsx", "scripts/import-communes.ts", file], { env: { ...process.env, MONGO_URL: mongoUrl(), NODE_ENV: "test" } });

  it("loads an operator's CSV once however often it runs, and the nodes then find its communes", async () => {
    const file = path.join(dir, "communes.csv");
    writeFileSync(file, "nom;région;département;latitude;longitude;aliases\nTouba Mosquée;Diourbel;Mbacké;14,8614;-15,8836;Touba\nNdiaganiao;Thiès;M'bour;14,45;-16,78;\n");
    const first = await importing(file);
    assert.match(first.stdout, /Imported 2 communes/);
    await importing(file);
    const broker = system().node.broker;
    const { communes: total } = await broker.call<{ communes: number }, object>("locations.reloadGazetteer", {});
    assert.equal(total, 55);
    const citizen = await aCitizen();
    const reply = await get("/api/locations/communes/?search=touba&region=diourbel", { token: citizen.access });
    assert.deepEqual(reply.body.results.map((c: { name: string; department: string }) => [c.name, c.department]), [["Touba Mosquée", "Mbacké"]]);
  });

  it("refuses a list with a bad row, names it, and writes nothing", async () => {
    const file = path.join(dir, "bad.csv");
    writeFileSync(file, "name,region,department,lat,lon\nKeur Madiabel,Kaolack,Nioro du Rip,13.9,-16.1\nNulle part,Kaolack,Nioro du Rip,north,-16\n");
    await assert.rejects(importing(file), (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /row 3, lat/);
      assert.match(err.stderr, /nothing was imported/);
      return true;
    });
    await system().node.broker.call("locations.reloadGazetteer", {});
    const citizen = await aCitizen();
    assert.equal((await get("/api/locations/communes/?search=keur madiabel", { token: citizen.access })).body.count, 0);
  });
});
