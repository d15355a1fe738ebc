// Road distances from OSRM, when OSRM_BASE_URL is set: its /route/v1 service gives the
// length of the road between two points (profile `driving` for vehicles, `foot` for
// walkers), which then stands for the great-circle distance × the detour factor. Speeds
// stay Dakar's by hour and traffic (travel.ts): OSRM's own durations know neither. Where
// OSRM finds no road (Gorée has none) the detour factor is kept; a failing or late OSRM
// is a 502, as for any provider.
import { z } from "zod";
import { errors } from "../../mixins/api/errors.ts";
import { request, statusFailure, withoutTrailingSlash } from "../../mixins/http/provider-request.ts";
import type { Point } from "./geo.ts";
import type { Mode } from "./speed-profile.ts";

export interface OsrmSettings {
  baseUrl: string;
  timeoutMs: number;
}

export type OsrmProfile = "driving" | "foot";
export const profileOf = (mode: Mode): OsrmProfile => (mode === "walk" ? "foot" : "driving");

/** The codes OSRM answers when the points are fine but no road joins them. */
const NO_ROAD = new Set(["NoRoute", "NoSegment"]);
const RouteAnswer = z.object({ code: z.string(), routes: z.array(z.object({ distance: z.number().min(0) })).optional() });

/** The road's length in metres, or null where OSRM knows no road between the points. */
export async function osrmRoadMeters(settings: OsrmSettings, from: Point, to: Point, profile: OsrmProfile): Promise<number | null> {
  const where = `${from.lon},${from.lat};${to.lon},${to.lat}`;
  const answer = await request("OSRM", `${withoutTrailingSlash(settings.baseUrl)}/route/v1/${profile}/${where}?overview=false&steps=false&alternatives=false`, {
    method: "GET",
    timeoutMs: settings.timeoutMs,
  });
  const parsed = RouteAnswer.safeParse(answer.body);
  if (parsed.success && NO_ROAD.has(parsed.data.code)) return null;
  if (answer.status !== 200) throw statusFailure("OSRM", "route", answer);
  const route = parsed.success && parsed.data.code === "Ok" ? parsed.data.routes?.[0] : undefined;
  if (!route) throw errors.providerFailed("OSRM", "route answered something that is not a route", { retryable: false, status: answer.status });
  return route.distance;
}

/** The road's length for each profile the modes need, asked once per profile. */
export async function roadMetersByProfile(settings: OsrmSettings, from: Point, to: Point, modes: readonly Mode[]): Promise<Map<OsrmProfile, number | null>> {
  const profiles = [...new Set(modes.map(profileOf))];
  const lengths = await Promise.all(profiles.map((profile) => osrmRoadMeters(settings, from, to, profile)));
  return new Map(profiles.map((profile, i) => [profile, lengths[i]!]));
}
