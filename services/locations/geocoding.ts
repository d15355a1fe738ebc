// Geocoding over what SmartQueue knows: forward, a typed place name or address to the
// best-matching communes, departments, regions and branches (fuzzy, accents aside);
// reverse, a point to the nearest commune. An outside geocoder (nominatim.ts) is asked only
// by the service, when this finds nothing and one is configured.
import type { PlacedBranch } from "./branches.ts";
import { nearestCommune, placeToWire, type Gazetteer, type Place } from "./gazetteer.ts";
import type { Point } from "./geo.ts";
import { nameScore, normalise } from "./text.ts";

/** Below this a candidate is noise ("kolda" is not "yoff"). */
export const MIN_SCORE = 0.5;

export interface ForwardResult {
  kind: "commune" | "department" | "region" | "branch" | "external";
  id: string | null;
  name: string;
  latitude: number;
  longitude: number;
  score: number;
  region: string | null;
  department: string | null;
  commune: string | null;
  organization_id: string | null;
  address: string | null;
}

/** Among equal scores, the most precise place first. */
const PRECISION = { branch: 0, commune: 1, department: 2, region: 3, external: 4 } as const;

const placeResult = (p: Place, score: number): ForwardResult => {
  const w = placeToWire(p);
  return { kind: p.level, id: w.id, name: w.name, latitude: w.latitude, longitude: w.longitude, score, region: w.region, department: w.department, commune: p.level === "commune" ? p.name : null, organization_id: null, address: null };
};

function branchScore(query: string, b: PlacedBranch): number {
  const name = nameScore(query, normalise(b.name));
  const address = b.address ? nameScore(query, normalise(b.address)) : 0;
  // An address is long: the query being a part of it says more than it being near it.
  const inAddress = b.address && normalise(b.address).includes(query) ? 0.8 : 0;
  return Math.max(name, address, inAddress);
}

export function forwardGeocode(g: Gazetteer, branches: PlacedBranch[], text: string, limit: number): ForwardResult[] {
  const query = normalise(text);
  if (!query) return [];
  const results: ForwardResult[] = [];
  for (const p of [...g.communes, ...g.departments, ...g.regions]) {
    const score = Math.max(...p.keys.map((k) => nameScore(query, k)));
    if (score >= MIN_SCORE) results.push(placeResult(p, score));
  }
  for (const b of branches) {
    const score = branchScore(query, b);
    if (score < MIN_SCORE) continue;
    results.push({
      kind: "branch", id: b.id, name: b.name, latitude: b.lat, longitude: b.lon, score, region: null, department: null,
      commune: b.commune || null, organization_id: b.organization_id, address: b.address || null,
    });
  }
  results.sort((a, b) => b.score - a.score || PRECISION[a.kind] - PRECISION[b.kind] || a.name.localeCompare(b.name));
  return results.slice(0, limit).map((r) => ({ ...r, score: Math.round(r.score * 100) / 100 }));
}

export function reverseGeocode(g: Gazetteer, point: Point) {
  const nearest = nearestCommune(g, point);
  if (!nearest) return null;
  return { ...placeToWire(nearest.place), distance_m: Math.round(nearest.distance_m) };
}
