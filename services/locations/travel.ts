// Travel estimates: great-circle distance × the mode's detour factor (or a router's road
// length, osrm.ts), at the mode's speed for the hour of departure (speed-profile.ts),
// slowed by the traffic reports the trip crosses (traffic.ts), plus the mode's start
// time. Pure: time, reports and the road's length are given.
import { haversineMeters, type Point } from "./geo.ts";
import { dakarHour, MODE_RULES, onTheRoad, type Mode } from "./speed-profile.ts";
import { trafficShare, type TrafficReport } from "./traffic.ts";

export interface TravelContext {
  at: Date;
  reports: readonly TrafficReport[];
  halfLifeMs: number;
}

export interface Estimate {
  mode: Mode;
  distance_m: number;
  route_distance_m: number;
  /** Where route_distance_m comes from: OSRM's road, or the great circle × the mode's detour factor. */
  route_source: "osrm" | "detour";
  duration_s: number;
  speed_kmh: number;
  traffic_factor: number;
}

/** `roadM`: the road's length when a router gave it (osrm.ts). */
export function estimate(from: Point, to: Point, mode: Mode, { at, reports, halfLifeMs }: TravelContext, roadM: number | null = null): Estimate {
  const rule = MODE_RULES[mode];
  const distance = haversineMeters(from, to);
  const route = roadM ?? distance * rule.detour;
  const share = onTheRoad(mode) ? trafficShare(reports, from, to, at, halfLifeMs) : 1;
  const kmh = rule.kmh(dakarHour(at)) * share;
  const moving = route / ((kmh * 1000) / 3600);
  // Nothing to wait for when one is already there.
  const start = distance < 1 ? 0 : rule.startMinutes * 60;
  return {
    mode,
    distance_m: Math.round(distance),
    route_distance_m: Math.round(route),
    route_source: roadM === null ? "detour" : "osrm",
    duration_s: Math.round(moving + start),
    speed_kmh: Math.round(kmh * 10) / 10,
    traffic_factor: Math.round((1 / share) * 100) / 100,
  };
}

/** N origins × M destinations: rows[i].elements[j] is origin i to destination j; `roads[i][j]` the road's length where a router gave it. */
export function matrix(origins: readonly Point[], destinations: readonly Point[], mode: Mode, context: TravelContext, roads?: ReadonlyArray<ReadonlyArray<number | null>>) {
  return origins.map((o, i) => ({
    elements: destinations.map((d, j) => {
      const e = estimate(o, d, mode, context, roads?.[i]?.[j] ?? null);
      return { distance_m: e.distance_m, route_distance_m: e.route_distance_m, route_source: e.route_source, duration_s: e.duration_s };
    }),
  }));
}
