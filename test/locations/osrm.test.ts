// Travel estimates with OSRM configured, against a local stand-in speaking its /route/v1
// protocol.
import assert from "node:assert/strict";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { startExtraSystem } from "../support/system.ts";
import { standIn, type StandIn } from "../notifications/stand-in-server.ts";

const PLATEAU = { latitude: 14.667, longitude: -17.434 };
const PARCELLES = { latitude: 14.765, longitude: -17.437 };
const GOREE = { latitude: 14.6672, longitude: -17.3981 };
const BROKEN = { latitude: 14.5, longitude: -17.1 };
const NIGHT = "2026-11-30T03:00:00Z";
const ROAD_M = { driving: 13_480, foot: 12_210 };

describe("travel estimates with OSRM configured", function () {
  this.timeout(60_000);
  let osrm: StandIn;
  let baseUrl: string;
  let citizen: Session;
  before(async () => {
    osrm = await standIn((req) => {
      const route = /^\/route\/v1\/(driving|foot)\/(-?[\d.]+),(-?[\d.]+);(-?[\d.]+),(-?[\d.]+)\?/.exec(req.path);
      if (!route) return { status: 400, json: { code: "InvalidUrl", message: "URL string malformed" } };
      const [, profile, , , toLon] = route;
      if (Number(toLon) === GOREE.longitude) return { status: 400, json: { code: "NoRoute", message: "Impossible route between points" } };
      if (Number(toLon) === BROKEN.longitude) return { status: 500, json: { code: "InternalError" } };
      const distance = ROAD_M[profile as keyof typeof ROAD_M];
      return { status: 200, json: { code: "Ok", routes: [{ distance, duration: distance / 11, weight: 1, legs: [] }], waypoints: [] } };
    });
    const node = await startExtraSystem({ OSRM_BASE_URL: `${osrm.url}/`, PROVIDER_TIMEOUT_MS: "2000" });
    baseUrl = node.baseUrl;
    citizen = await aCitizen({}, baseUrl);
  });
  after(() => osrm.close());
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
    assert.equal(car.route_distance_m, Math.round(car.distance_m * 1.35));
  });

  it("answers 502 provider_failed when OSRM fails, and the query form too", async () => {
    const reply = await estimate(BROKEN, ["car"]);
    assert.equal(reply.status, 502, JSON.stringify(reply.body));
    assert.equal(reply.body.error.code, "provider_failed");
    assert.equal(reply.body.error.details.provider, "OSRM");
    const query = `origin_latitude=${PLATEAU.latitude}&origin_longitude=${PLATEAU.longitude}&destination_latitude=${BROKEN.latitude}&destination_longitude=${BROKEN.longitude}&mode=taxi`;
    assert.equal((await get(`/api/locations/travel-estimates/?${query}`, { token: citizen.access, baseUrl })).status, 502);
  });
});
