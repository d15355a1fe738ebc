// Road distances from OSRM, when OSRM_BASE_URL is set: its /route/v1 service gives the
// length of the road between two points, its /table/v1 service those between many
// (profile `driving` for vehicles, `foot` for walkers), which then stand for the
// great-circle distance × the detour factor. Speeds
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

/** osrm-routed refuses a table of more coordinates than this by default (--max-table-size). */
const TABLE_COORDINATES = 100;
const TableAnswer = z.object({ code: z.string(), distances: z.array(z.array(z.number().min(0).nullable())).optional() });

/** Splits `items` into runs of at most `size`, each with the index of its first item. */
const runsOf = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => ({ from: i * size, items: items.slice(i * size, (i + 1) * size) }));

/** The road's length from each origin to each destination (null where OSRM knows no road), in tables small enough for OSRM. */
export async function osrmRoadTable(settings: OsrmSettings, origins: readonly Point[], destinations: readonly Point[], profile: OsrmProfile): Promise<Array<Array<number | null>>> {
  const half = TABLE_COORDINATES / 2;
  const table = origins.map(() => destinations.map((): number | null => null));
  const blocks = runsOf(origins, half).flatMap((o) => runsOf(destinations, half).map((d) => ({ o, d })));
  await Promise.all(
    blocks.map(async ({ o, d }) => {
      const points = [...o.items, ...d.items].map((p) => `${p.lon},${p.lat}`).join(";");
      const sources = o.items.map((_, i) => i).join(";");
      const targets = d.items.map((_, j) => o.items.length + j).join(";");
      const answer = await request("OSRM", `${withoutTrailingSlash(settings.baseUrl)}/table/v1/${profile}/${points}?sources=${sources}&destinations=${targets}&annotations=distance`, {
        method: "GET",
        timeoutMs: settings.timeoutMs,
      });
      if (answer.status !== 200) throw statusFailure("OSRM", "table", answer);
      const parsed = TableAnswer.safeParse(answer.body);
      const rows = parsed.success && parsed.data.code === "Ok" ? parsed.data.distances : undefined;
      if (rows?.length !== o.items.length || rows.some((row) => row.length !== d.items.length)) {
        throw errors.providerFailed("OSRM", "table answered something that is not a table of the points asked", { retryable: false, status: answer.status });
      }
      rows.forEach((row, i) => row.forEach((metres, j) => (table[o.from + i]![d.from + j] = metres)));
    }),
  );
  return table;
}
