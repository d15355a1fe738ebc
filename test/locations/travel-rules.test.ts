// Speeds by hour, fading traffic reports and travel estimates, without a broker.
import assert from "node:assert/strict";
import { haversineMeters } from "../../services/locations/geo.ts";
import { CAR_KMH, dakarHour, MODE_RULES, WALK_KMH } from "../../services/locations/speed-profile.ts";
import { currentSeverity, expiresAt, MIN_SEVERITY, speedShare, trafficShare, type TrafficReport } from "../../services/locations/traffic.ts";
import { estimate, matrix } from "../../services/locations/travel.ts";

const HALF_LIFE = 30 * 60_000;
const PLATEAU = { lat: 14.667, lon: -17.434 };
const PARCELLES = { lat: 14.765, lon: -17.437 };
const at = (hhmm: string) => new Date(`2026-12-02T${hhmm}:00Z`);
const aReport = (extra: Partial<TrafficReport> = {}): TrafficReport => ({
  id: "r1", lat: 14.716, lon: -17.4355, radius_m: 800, severity: 4, reported_at: at("08:00"), organization_id: null, note: "", ...extra,
});
const calm = (when: string) => ({ at: at(when), reports: [], halfLifeMs: HALF_LIFE });

describe("the Dakar speed profile", () => {
  it("has a speed for every hour, slowest in the morning and evening rushes", () => {
    assert.equal(CAR_KMH.length, 24);
    const slowest = Math.min(...CAR_KMH);
    assert.ok(CAR_KMH[8] === slowest || CAR_KMH[18] === slowest);
    assert.ok(CAR_KMH[8]! < CAR_KMH[11]! && CAR_KMH[18]! < CAR_KMH[14]! && CAR_KMH[14]! < CAR_KMH[2]!);
  });

  it("reads Dakar's hour as the UTC hour (Senegal has no daylight saving)", () => {
    assert.equal(dakarHour(new Date("2026-07-01T08:30:00Z")), 8);
  });

  it("walks at the same speed at any hour", () => {
    assert.equal(MODE_RULES.walk.kmh(8), WALK_KMH);
    assert.equal(MODE_RULES.walk.kmh(3), WALK_KMH);
  });
});

describe("traffic reports fading", () => {
  it("keeps the full severity when just reported, half after one half-life, a quarter after two", () => {
    const r = aReport();
    assert.equal(currentSeverity(r, at("08:00"), HALF_LIFE), 4);
    assert.ok(Math.abs(currentSeverity(r, at("08:30"), HALF_LIFE) - 2) < 1e-9);
    assert.ok(Math.abs(currentSeverity(r, at("09:00"), HALF_LIFE) - 1) < 1e-9);
  });

  it("forgets a report once it fades under the minimum, when its expiry says", () => {
    const r = aReport();
    const end = expiresAt(r, HALF_LIFE);
    assert.equal(end.getTime(), at("08:00").getTime() + Math.log2(4 / MIN_SEVERITY) * HALF_LIFE);
    assert.ok(currentSeverity(r, new Date(end.getTime() - 1000), HALF_LIFE) > 0);
    assert.equal(currentSeverity(r, new Date(end.getTime() + 1000), HALF_LIFE), 0);
  });

  it("says nothing about a time before it was made", () => {
    assert.equal(currentSeverity(aReport(), at("07:59"), HALF_LIFE), 0);
  });

  it("slows a road from full speed at severity 0 to 30% at 5", () => {
    assert.equal(speedShare(0), 1);
    assert.ok(Math.abs(speedShare(5) - 0.3) < 1e-9);
    assert.ok(speedShare(2) > speedShare(3));
  });

  it("slows only the trips whose line crosses the reported area", () => {
    const reports = [aReport()];
    assert.ok(trafficShare(reports, PLATEAU, PARCELLES, at("08:00"), HALF_LIFE) < 1);
    assert.equal(trafficShare(reports, { lat: 14.75, lon: -17.3 }, { lat: 14.72, lon: -17.25 }, at("08:00"), HALF_LIFE), 1);
    assert.equal(trafficShare(reports, PLATEAU, PARCELLES, at("12:00"), HALF_LIFE), 1);
  });
});

describe("travel estimates", () => {
  it("drives the road distance (great circle × detour) at the hour's speed", () => {
    const e = estimate(PLATEAU, PARCELLES, "car", calm("03:00"));
    const gc = haversineMeters(PLATEAU, PARCELLES);
    assert.equal(e.distance_m, Math.round(gc));
    assert.equal(e.route_distance_m, Math.round(gc * 1.35));
    assert.equal(e.speed_kmh, CAR_KMH[3]);
    assert.ok(Math.abs(e.duration_s - (gc * 1.35) / ((CAR_KMH[3]! * 1000) / 3600)) < 1);
  });

  it("takes longer in the rush hour than at night, and longer by bus than by car", () => {
    const night = estimate(PLATEAU, PARCELLES, "car", calm("03:00"));
    const rush = estimate(PLATEAU, PARCELLES, "car", calm("08:15"));
    const bus = estimate(PLATEAU, PARCELLES, "bus", calm("08:15"));
    assert.ok(rush.duration_s > 2.5 * night.duration_s);
    assert.ok(bus.duration_s > rush.duration_s);
    assert.ok(estimate(PLATEAU, PARCELLES, "taxi", calm("08:15")).duration_s === rush.duration_s + 240);
  });

  it("slows road modes by a current report on the way, not walking", () => {
    const jammed = { at: at("08:10"), reports: [aReport()], halfLifeMs: HALF_LIFE };
    const car = estimate(PLATEAU, PARCELLES, "car", jammed);
    assert.ok(car.traffic_factor > 1.5);
    assert.ok(car.duration_s > estimate(PLATEAU, PARCELLES, "car", calm("08:10")).duration_s);
    assert.equal(estimate(PLATEAU, PARCELLES, "walk", jammed).duration_s, estimate(PLATEAU, PARCELLES, "walk", calm("08:10")).duration_s);
  });

  it("answers nothing to wait for between a point and itself", () => {
    assert.equal(estimate(PLATEAU, PLATEAU, "bus", calm("08:00")).duration_s, 0);
  });

  it("fills an N × M matrix, origin by row", () => {
    const origins = [PLATEAU, PARCELLES];
    const destinations = [PARCELLES, PLATEAU, { lat: 14.78, lon: -17.39 }];
    const rows = matrix(origins, destinations, "car", calm("10:00"));
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.elements.length, 3);
    assert.equal(rows[0]!.elements[1]!.duration_s, 0);
    assert.equal(rows[0]!.elements[0]!.duration_s, rows[1]!.elements[1]!.duration_s);
  });
});
