// Travel estimates with OSRM configured, against a local stand-in speaking its /route/v1
// protocol.
import assert from "node:assert/strict";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { standIn, type Reply, type StandIn } from "../notifications/stand-in-server.ts";

const PLATEAU = { latitude: 14.667, longitude: -17.434 };
const PARCELLES = { latitude: 14.765, longitude: -17.437 };
const GOREE = { latitude: 14.6672, longitude: -17.3981 };
const BROKEN = { latitude: 14.5, longitude: -17.1 };
const NIGHT = "2026-11-30T03:00:00Z";
const ROAD_M = { driving: 13_480, foot: 12_210 };

/** The stand-in's road: 1 m per 1e-5 degree of latitude and of longitude between the points. */
const roadBetween = (a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) =>
  Math.round((Math.abs(a.latitude - b.latitude) + Math.abs(a.longitude - b.longitude)) * 100_000);

/** OSRM's /table/v1: distances from the `sources` to the `destinations` among the coordinates; none to Gorée, a failure near BROKEN. */
function table(path: string): Reply {
  const url = new URL(path, "http://x");
  const points = url.pathname.split("/")[4]!.split(";").map((p) => p.split(",").map(Number)).map(([longitude, latitude]) => ({ latitude: latitude!, longitude: longitude! }));
  if (points.length > 100) return { status: 400, json: { code: "TooBig", message: "Too many table coordinates" } };
  if (points.some((p) => p.longitude === BROKEN.longitude)) return { status: 500, json: { code: "InternalError" } };
  const indexes = (name: string) => url.searchParams.get(name)!.split(";").map(Number);
  const distances = indexes("sources").map((i) => indexes("destinations").map((j) => (points[j]!.longitude === GOREE.longitude ? null : roadBetween(points[i]!, points[j]!))));
  return { status: 200, json: { code: "Ok", distances, sources: [], destinations: [] } };
}

describe("travel estimates with OSRM configured", function () {
  this.timeout(60_000);
  let osrm: StandIn;
  let node: TestSystem;
  let baseUrl: string;
  let citizen: Session;
  before(async () => {
    osrm = await standIn((req) => {
      if (req.path.startsWith("/table/v1/")) return table(req.path);
      const route = /^\/route\/v1\/(driving|foot)\/(-?[\d.]+),(-?[\d.]+);(-?[\d.]+),(-?[\d.]+)\?/.exec(req.path);
      if (!route) return { status: 400, json: { code: "InvalidUrl", message: "URL string malformed" } };
      const [, profile, , , toLon] = route;
      if (Number(toLon) === GOREE.longitude) return { status: 400, json: { code: "NoRoute", message: "Impossible route between points" } };
      if (Number(toLon) === BROKEN.longitude) return { status: 500, json: { code: "InternalError" } };
      const distance = ROAD_M[profile as keyof typeof ROAD_M];
      return { status: 200, json: { code: "Ok", routes: [{ distance, duration: distance / 11, weight: 1, legs: [] }], waypoints: [] } };
    });
    node = await startExtraSystem({ OSRM_BASE_URL: `${osrm.url}/`, PROVIDER_TIMEOUT_MS: "2000" });
    baseUrl = node.baseUrl;
    citizen = await aCitizen({}, baseUrl);
  });
  after(async () => {
    await stopExtraSystem(node);
    osrm.close();
  });
  const estimate = (to: { latitude: number; longitude: number }, modes?: string[]) =>
    post("/api/locations/travel-estimates/", { origin: PLATEAU, destination: to, modes, departure_time: NIGHT }, { token: citizen.access, baseUrl });

  it("takes the road's length from OSRM, by car and on foot, asking once per profile with longitude first", async () => {
    const before = osrm.requests.length;
    const reply = await estimate(PARCELLES);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const byMode = Object.fromEntries(reply.body.estimates.map((e: any) => [e.mode, e]));
    assert.deepEqual([byMode.walk.route_distance_m, byMode.car.route_distance_m, byMode.bus.route_distance_m], [ROAD_M.foot, ROAD_M.driving, ROAD_M.driving]);
    assert.ok(reply.body.estimates.every((e: any) => e.route_source === "osrm"));
    // Speeds stay Dakar's by hour: at 03:00 a car does 42 km/h.
    assert.equal(byMode.car.duration_s, Math.round(ROAD_M.driving / (42_000 / 3600)));
    const asked = osrm.requests.slice(before).map((r) => new URL(r.path, "http://x").pathname).sort();
    assert.deepEqual(asked, [
      `/route/v1/driving/${PLATEAU.longitude},${PLATEAU.latitude};${PARCELLES.longitude},${PARCELLES.latitude}`,
      `/route/v1/foot/${PLATEAU.longitude},${PLATEAU.latitude};${PARCELLES.longitude},${PARCELLES.latitude}`,
    ]);
  });

  it("keeps the detour factor where OSRM knows no road", async () => {
    const reply = await estimate(GOREE, ["car"]);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const [car] = reply.body.estimates;
    assert.equal(car.route_source, "detour");
    assert.ok(Math.abs(car.route_distance_m - car.distance_m * 1.35) <= 1, JSON.stringify(car));
  });

  it("answers 502 provider_failed when OSRM fails, and the query form too", async () => {
    const reply = await estimate(BROKEN, ["car"]);
    assert.equal(reply.status, 502, JSON.stringify(reply.body));
    assert.equal(reply.body.error.code, "provider_failed");
    assert.equal(reply.body.error.details.provider, "OSRM");
    const query = `origin_latitude=${PLATEAU.latitude}&origin_longitude=${PLATEAU.longitude}&destination_latitude=${BROKEN.latitude}&destination_longitude=${BROKEN.longitude}&mode=taxi`;
    assert.equal((await get(`/api/locations/travel-estimates/?${query}`, { token: citizen.access, baseUrl })).status, 502);
  });

  it("takes a distance matrix's roads from OSRM's table, in tables OSRM accepts, and keeps the detour factor where there is no road", async () => {
    const origins = Array.from({ length: 30 }, (_, i) => ({ latitude: 14.68 + i * 0.001, longitude: -17.45 }));
    const destinations = [...Array.from({ length: 59 }, (_, j) => ({ latitude: 14.75, longitude: -17.47 + j * 0.001 })), GOREE];
    const before = osrm.requests.length;
    const reply = await post("/api/locations/distance-matrix/", { origins, destinations, mode: "walk", departure_time: NIGHT }, { token: citizen.access, baseUrl });
    assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 500));
    const asked = osrm.requests.slice(before).map((r) => new URL(r.path, "http://x").pathname);
    assert.equal(asked.length, 2, "50 destinations a table");
    assert.ok(asked.every((p) => p.startsWith("/table/v1/foot/")));
    reply.body.rows.forEach((row: any, i: number) =>
      row.elements.forEach((cell: any, j: number) => {
        if (j === 59) return assert.ok(cell.route_source === "detour" && Math.abs(cell.route_distance_m - cell.distance_m * 1.25) <= 1, JSON.stringify(cell));
        assert.deepEqual([cell.route_source, cell.route_distance_m], ["osrm", roadBetween(origins[i]!, destinations[j]!)], `${i} → ${j}`);
      }),
    );
  });

  it("answers a distance matrix 502 provider_failed when OSRM's table fails", async () => {
    const reply = await post("/api/locations/distance-matrix/", { origins: [PLATEAU], destinations: [PARCELLES, BROKEN] }, { token: citizen.access, baseUrl });
    assert.equal(reply.status, 502, JSON.stringify(reply.body));
    assert.equal(reply.body.error.details.provider, "OSRM");
  });
});
