// Travel estimates, the distance matrix and traffic reports over the running node.
import assert from "node:assert/strict";
import { aCitizen, anAgent, anOrganization, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";

const PLATEAU = { latitude: 14.667, longitude: -17.434 };
const PARCELLES = { latitude: 14.765, longitude: -17.437 };
/** A day gone by: no report made during the run says anything about it. */
const NIGHT = "2026-11-30T03:00:00Z";
const RUSH = "2026-11-30T08:15:00Z";

describe("travel estimates", function () {
  this.timeout(60_000);
  let citizen: Session;
  before(async () => {
    citizen = await aCitizen();
  });
  const as = () => ({ token: citizen.access });
  const query = (extra = "") =>
    `/api/locations/travel-estimates/?origin_latitude=${PLATEAU.latitude}&origin_longitude=${PLATEAU.longitude}&destination_latitude=${PARCELLES.latitude}&destination_longitude=${PARCELLES.longitude}${extra}`;

  it("estimates every mode between two points, from the great-circle distance", async () => {
    const reply = await get(query(`&departure_time=${NIGHT}`), as());
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.estimates.map((e: { mode: string }) => e.mode), ["walk", "car", "taxi", "bus"]);
    const car = reply.body.estimates[1];
    assert.ok(Math.abs(car.distance_m - 10_900) < 200, String(car.distance_m));
    assert.ok(car.route_distance_m > car.distance_m);
    assert.equal(reply.body.departure_time, "2026-11-30T03:00:00.000Z");
  });

  it("takes longer by car in the morning rush than at night", async () => {
    const night = await get(query(`&mode=car&departure_time=${NIGHT}`), as());
    const rush = await get(query(`&mode=car&departure_time=${RUSH}`), as());
    assert.equal(night.body.estimates.length, 1);
    assert.ok(rush.body.estimates[0].duration_s > 2 * night.body.estimates[0].duration_s);
  });

  it("answers the same by POST, for the modes asked", async () => {
    const reply = await post("/api/locations/travel-estimates/", { origin: PLATEAU, destination: PARCELLES, modes: ["bus", "walk"], departure_time: NIGHT }, as());
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.estimates.map((e: { mode: string }) => e.mode), ["bus", "walk"]);
    const byGet = await get(query(`&mode=bus&departure_time=${NIGHT}`), as());
    assert.equal(reply.body.estimates[0].duration_s, byGet.body.estimates[0].duration_s);
  });

  it("refuses bad input, naming the field", async () => {
    const bad: Array<[Promise<{ status: number; body: any }>, string]> = [
      [get(query().replace("origin_latitude=14.667", "origin_latitude=north"), as()), "query.origin_latitude"],
      [get(query().replace("&destination_longitude=-17.437", ""), as()), "query.destination_longitude"],
      [get(query("&mode=plane"), as()), "query.mode"],
      [get(query("&departure_time=tomorrow"), as()), "query.departure_time"],
      [post("/api/locations/travel-estimates/", { origin: PLATEAU, destination: { latitude: 200, longitude: 0 } }, as()), "body.destination.latitude"],
      [post("/api/locations/travel-estimates/", { origin: PLATEAU, destination: PARCELLES, modes: [] }, as()), "body.modes"],
      [post("/api/locations/travel-estimates/", { origin: PLATEAU, destination: PARCELLES, speed: 3 }, as()), "body"],
    ];
    for (const [pending, path] of bad) {
      const reply = await pending;
      assert.equal(reply.status, 400, path);
      assert.equal(reply.body.error.code, "validation_failed");
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path.startsWith(path)), `${path}: ${JSON.stringify(reply.body.error.details)}`);
    }
  });

  it("asks for a signed-in caller", async () => {
    assert.equal((await get(query())).status, 401);
    assert.equal((await post("/api/locations/distance-matrix/", { origins: [PLATEAU], destinations: [PARCELLES] })).status, 401);
  });
});

describe("POST /api/locations/distance-matrix/", function () {
  this.timeout(60_000);
  const around = (n: number, lat: number) => Array.from({ length: n }, (_, i) => ({ latitude: lat + (i % 10) * 0.005, longitude: -17.47 + Math.floor(i / 10) * 0.02 }));

  it("answers a 50 × 50 matrix in one call, origin by row", async () => {
    const citizen = await aCitizen();
    const reply = await post("/api/locations/distance-matrix/", { origins: around(50, 14.68), destinations: around(50, 14.74), mode: "taxi", departure_time: NIGHT }, { token: citizen.access });
    assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 300));
    assert.equal(reply.body.mode, "taxi");
    assert.equal(reply.body.rows.length, 50);
    for (const row of reply.body.rows) {
      assert.equal(row.elements.length, 50);
      for (const e of row.elements) assert.ok(e.duration_s > 0 && e.distance_m > 0);
    }
  });

  it("refuses more than 2,500 cells, or more than 100 on a side", async () => {
    const citizen = await aCitizen();
    for (const [origins, destinations] of [[51, 50], [101, 1], [0, 3]] as const) {
      const reply = await post("/api/locations/distance-matrix/", { origins: around(origins, 14.7), destinations: around(destinations, 14.75) }, { token: citizen.access });
      assert.equal(reply.status, 400, `${origins} × ${destinations}`);
      assert.equal(reply.body.error.code, "validation_failed");
    }
  });
});

describe("traffic updates", function () {
  this.timeout(60_000);
  // Somewhere in Rufisque, off every other test's way.
  const JAM = { latitude: 14.72, longitude: -17.27 };
  const EAST = { latitude: 14.72, longitude: -17.2 };
  const WEST = { latitude: 14.72, longitude: -17.33 };

  it("lets staff report a jam that slows road trips through it at once, and everyone read it", async () => {
    const org = await anOrganization();
    const agent = await anAgent(org.id);
    const before = await post("/api/locations/travel-estimates/", { origin: WEST, destination: EAST, modes: ["car", "walk"] }, { token: agent.access });
    const reply = await post("/api/locations/traffic-updates/", { ...JAM, radius_m: 1500, severity: 5, note: "Accident sur la RN1" }, { token: agent.access });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.current_severity, 5);
    assert.equal(reply.body.organization_id, org.id);
    assert.ok(Date.parse(reply.body.expires_at) > Date.parse(reply.body.reported_at));
    assert.equal(reply.body.reported_by, undefined);

    const after = await post("/api/locations/travel-estimates/", { origin: WEST, destination: EAST, modes: ["car", "walk"] }, { token: agent.access });
    assert.ok(after.body.estimates[0].traffic_factor > 3, JSON.stringify(after.body.estimates[0]));
    assert.ok(after.body.estimates[0].duration_s > before.body.estimates[0].duration_s);
    assert.equal(after.body.estimates[1].duration_s, before.body.estimates[1].duration_s);

    const citizen = await aCitizen();
    const list = await get("/api/locations/traffic-updates/?search=RN1", { token: citizen.access });
    assert.equal(list.status, 200);
    const listed = list.body.results.find((r: { id: string }) => r.id === reply.body.id);
    assert.ok(listed);
    assert.ok(listed.current_severity <= 5 && listed.current_severity > 4.9);
  });

  it("lets staff of another organisation read and report too, but not citizens", async () => {
    const other = await anAgent((await anOrganization()).id);
    assert.equal((await get("/api/locations/traffic-updates/", { token: other.access })).status, 200);
    assert.equal((await post("/api/locations/traffic-updates/", { ...JAM, radius_m: 300, severity: 1 }, { token: other.access })).status, 201);
    const citizen = await aCitizen();
    const refused = await post("/api/locations/traffic-updates/", { ...JAM, radius_m: 300, severity: 2 }, { token: citizen.access });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "forbidden");
  });

  it("refuses a bad report, naming the field", async () => {
    const agent = await anAgent((await anOrganization()).id);
    for (const [body, path] of [
      [{ ...JAM, radius_m: 300, severity: 6 }, "body.severity"],
      [{ ...JAM, radius_m: 10, severity: 2 }, "body.radius_m"],
      [{ ...JAM, radius_m: 300, severity: 2.5 }, "body.severity"],
      [{ latitude: 14.7, radius_m: 300, severity: 2 }, "body.longitude"],
      [{ ...JAM, radius_m: 300, severity: 2, note: "x".repeat(201) }, "body.note"],
    ] as const) {
      const reply = await post("/api/locations/traffic-updates/", body, { token: agent.access });
      assert.equal(reply.status, 400, path);
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === path), JSON.stringify(reply.body.error.details));
    }
    assert.equal((await get("/api/locations/traffic-updates/?page_size=0", { token: agent.access })).status, 400);
  });
});
