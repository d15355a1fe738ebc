// POST /api/locations/geocoding/ over the running node, and the Nominatim adapter against a
// local stand-in speaking its /search API.
import assert from "node:assert/strict";
import { aBranch, aCitizen, anAdministeredOrganization, type Session } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { standIn, type StandIn } from "../notifications/stand-in-server.ts";

describe("POST /api/locations/geocoding/", function () {
  this.timeout(60_000);
  let citizen: Session;
  before(async () => {
    citizen = await aCitizen();
  });
  const geocode = (body: unknown, who: Session = citizen) => post("/api/locations/geocoding/", body, { token: who.access });

  it("finds a commune from a place name typed without accents", async () => {
    const reply = await geocode({ address: "mermoz sacre coeur" });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.type, "forward");
    assert.equal(reply.body.source, "smartqueue");
    assert.equal(reply.body.results[0].name, "Mermoz-Sacré-Cœur");
    assert.equal(typeof reply.body.results[0].latitude, "number");
  });

  it("finds an organisation's branch by its address, asking business for the branches", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const branch = await aBranch(admin, org.id, { name: "Agence Liberté 6", address: "Rond-point Jet d'Eau, Sicap Liberté 6", commune: "Sicap-Liberté", latitude: 14.7253, longitude: -17.4612 });
    const reply = await geocode({ address: "Rond point Jet d eau" });
    assert.equal(reply.status, 200);
    const found = reply.body.results.find((r: { id: string }) => r.id === branch.id);
    assert.ok(found, JSON.stringify(reply.body.results));
    assert.equal(found.kind, "branch");
    assert.equal(found.organization_id, org.id);
    assert.equal(found.latitude, 14.7253);
  });

  it("answers the nearest commune of a point", async () => {
    const reply = await geocode({ latitude: 14.7585, longitude: -17.4745 });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.type, "reverse");
    assert.equal(reply.body.commune.name, "Yoff");
    assert.equal(reply.body.commune.department, "Dakar");
    assert.ok(reply.body.commune.distance_m < 200);
  });

  it("answers an unknown place with no results, and asks no outside geocoder when none is configured", async () => {
    const reply = await geocode({ address: "Keur Madiabel" });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.results, []);
    assert.equal(reply.body.source, "smartqueue");
  });

  it("refuses bad input, naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{}, "body.address"],
      [{ address: "Yoff", latitude: 14.7, longitude: -17.4 }, "body.address"],
      [{ latitude: 14.7 }, "body.longitude"],
      [{ latitude: 91, longitude: -17.4 }, "body.latitude"],
      [{ latitude: "14.7", longitude: -17.4 }, "body.latitude"],
      [{ address: "Yoff", limit: 0 }, "body.limit"],
      [{ address: "x".repeat(301) }, "body.address"],
      [{ address: "Yoff", colour: "blue" }, "body"],
    ];
    for (const [body, path] of cases) {
      const reply = await geocode(body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.body.error.code, "validation_failed");
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path.startsWith(path)), `${JSON.stringify(body)}: ${JSON.stringify(reply.body.error.details)}`);
    }
  });

  it("asks for a signed-in caller", async () => {
    assert.equal((await post("/api/locations/geocoding/", { address: "Yoff" })).status, 401);
  });
});

describe("geocoding with Nominatim configured", function () {
  this.timeout(60_000);
  let nominatim: StandIn;
  let system: TestSystem;
  let baseUrl: string;
  let citizen: Session;
  before(async () => {
    nominatim = await standIn((req) => {
      const url = new URL(req.path, "http://x");
      if (url.pathname !== "/search") return { status: 404 };
      if (url.searchParams.get("q") === "panne") return { status: 503, json: { error: "overloaded" } };
      return { status: 200, json: [{ place_id: 1, osm_type: "node", osm_id: 42, lat: "13.8850", lon: "-16.0170", display_name: "Keur Madiabel, Nioro du Rip, Kaolack, Sénégal", importance: 0.41 }] };
    });
    system = await startExtraSystem({ NOMINATIM_BASE_URL: nominatim.url, NOMINATIM_USER_AGENT: "SmartQueue-test/1 (ops@example.sn)", PROVIDER_TIMEOUT_MS: "2000" });
    baseUrl = system.baseUrl;
    citizen = await aCitizen({}, baseUrl);
  });
  after(async () => {
    await stopExtraSystem(system);
    nominatim.close();
  });
  const geocode = (address: string) => post("/api/locations/geocoding/", { address }, { token: citizen.access, baseUrl });

  it("asks Nominatim, in Senegal and identified, for a place SmartQueue does not know", async () => {
    const reply = await geocode("Keur Madiabel");
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.source, "nominatim");
    assert.deepEqual(reply.body.results.map((r: { kind: string; id: string; latitude: number }) => [r.kind, r.id, r.latitude]), [["external", "osm:node/42", 13.885]]);
    const asked = nominatim.requests.at(-1)!;
    const url = new URL(asked.path, "http://x");
    assert.equal(url.searchParams.get("q"), "Keur Madiabel");
    assert.equal(url.searchParams.get("countrycodes"), "sn");
    assert.equal(url.searchParams.get("format"), "jsonv2");
    assert.equal(asked.headers["user-agent"], "SmartQueue-test/1 (ops@example.sn)");
  });

  it("does not ask Nominatim for a place the gazetteer knows", async () => {
    const before = nominatim.requests.length;
    const reply = await geocode("Grand Yoff");
    assert.equal(reply.body.source, "smartqueue");
    assert.equal(nominatim.requests.length, before);
  });

  it("answers 502 provider_failed when Nominatim fails", async () => {
    const reply = await geocode("panne");
    assert.equal(reply.status, 502);
    assert.equal(reply.body.error.code, "provider_failed");
    assert.equal(reply.body.error.details.provider, "Nominatim");
  });
});
