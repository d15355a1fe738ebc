// The gazetteer: Senegal's regions, departments and communes, from the bundled data
// (data/gazetteer.json, Dakar region's communes) and the operator's import (the
// location_communes collection), an imported commune replacing a bundled one of the same id.
// It is small (Senegal has ~560 communes), so it lives in memory and is searched there.
import bundled from "./data/gazetteer.json" with { type: "json" };
import { z } from "zod";
import { haversineMeters, type Point } from "./geo.ts";
import { normalise, slug } from "./text.ts";

export const LEVELS = ["region", "department", "commune"] as const;
export type Level = (typeof LEVELS)[number];

const Latitude = z.number().min(-90).max(90);
const Longitude = z.number().min(-180).max(180);
const Name = z.string().trim().min(1).max(120);
const Aliases = z.array(Name).max(20).default([]);

/** A commune as the import and the bundled data give it. */
export const CommuneRecord = z.object({ name: Name, region: Name, department: Name, lat: Latitude, lon: Longitude, aliases: Aliases }).strict();
export type CommuneRecord = z.output<typeof CommuneRecord>;

const BundledData = z.object({
  source: z.string(),
  regions: z.array(z.object({ name: Name, lat: Latitude, lon: Longitude, aliases: Aliases }).strict()),
  departments: z.array(z.object({ region: Name, name: Name, lat: Latitude, lon: Longitude, aliases: Aliases }).strict()),
  communes: z.array(CommuneRecord),
});

export interface Place extends Point {
  id: string;
  level: Level;
  name: string;
  region: string;
  department: string | null;
  aliases: string[];
  /** Normalised name and aliases, for matching. */
  keys: string[];
}

export const communeId = (c: { region: string; department: string; name: string }) => [c.region, c.department, c.name].map(slug).join(".");

function place(level: Level, id: string, fields: Omit<Place, "id" | "level" | "keys">): Place {
  return { id, level, ...fields, keys: [...new Set([fields.name, ...fields.aliases].map(normalise))] };
}

export const communePlace = (c: CommuneRecord): Place => place("commune", communeId(c), { ...c });

export interface Gazetteer {
  regions: Place[];
  departments: Place[];
  communes: Place[];
  source: string;
}

/** The bundled data, validated; `imported` communes replace or extend its communes. */
export function loadGazetteer(imported: CommuneRecord[] = []): Gazetteer {
  // Imported as a module, not read from beside this file: `npm start` runs the bundle in
  // dist/, where this file's folder is not, and esbuild puts the data in the bundle.
  const data = BundledData.parse(bundled);
  const communes = new Map<string, Place>();
  for (const c of [...data.communes, ...imported]) communes.set(communeId(c), communePlace(c));
  return {
    source: data.source,
    regions: data.regions.map((r) => place("region", slug(r.name), { ...r, region: r.name, department: null })),
    departments: data.departments.map((d) => place("department", [d.region, d.name].map(slug).join("."), { ...d, department: d.name })),
    communes: [...communes.values()],
  };
}

/** Matches a region or department filter given by name, alias or id, accents aside. */
export function sameArea(given: string, name: string | null, places: Place[]): boolean {
  if (name === null) return false;
  const key = normalise(given);
  if (normalise(name) === key) return true;
  return places.some((p) => p.name === name && (p.keys.includes(key) || p.id === given));
}

export interface CommuneFilter {
  search?: string;
  region?: string;
  department?: string;
}

/** Communes matching the filters: the search is a substring of the name or an alias, accents and case aside. */
export function findCommunes(g: Gazetteer, { search, region, department }: CommuneFilter): Place[] {
  const needle = search ? normalise(search) : "";
  return g.communes.filter(
    (c) =>
      (!region || sameArea(region, c.region, g.regions)) &&
      (!department || sameArea(department, c.department, g.departments)) &&
      (!needle || c.keys.some((k) => k.includes(needle))),
  );
}

/** The commune whose centroid is nearest the point, with its distance. */
export function nearestCommune(g: Gazetteer, point: Point): { place: Place; distance_m: number } | null {
  let best: { place: Place; distance_m: number } | null = null;
  for (const c of g.communes) {
    const d = haversineMeters(point, c);
    if (!best || d < best.distance_m) best = { place: c, distance_m: d };
  }
  return best;
}

/** A place as the API shows it. */
export function placeToWire(p: Place) {
  return { id: p.id, level: p.level, name: p.name, aliases: p.aliases, region: p.region, department: p.department, latitude: p.lat, longitude: p.lon };
}
