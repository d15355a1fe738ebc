// The operator's commune list, from a CSV or a GeoJSON file, checked row by row before
// anything is written. Columns (CSV) or feature properties (GeoJSON), French names welcome:
// name|nom|commune, region|région, department|département, lat|latitude, lon|lng|longitude
// (GeoJSON takes them from a Point, or the mean of a polygon's outer ring), aliases (split
// on "|"). Writing is by the commune's id (region.department.name), so a second import of
// the same file changes nothing.
import { z } from "zod";
import { parseCsv } from "./csv.ts";
import { CommuneRecord, communeId } from "./gazetteer.ts";
import { normalise } from "./text.ts";
import type { CommuneModel } from "./store.ts";

export interface RowIssue {
  row: number;
  path: string;
  message: string;
}

export interface ParsedList {
  communes: CommuneRecord[];
  issues: RowIssue[];
}

const COLUMNS: Record<string, keyof CommuneRecord> = {
  name: "name", nom: "name", commune: "name", region: "region", department: "department", departement: "department",
  lat: "lat", latitude: "lat", lon: "lon", lng: "lon", longitude: "lon", aliases: "aliases", alias: "aliases",
};

function fieldsOf(raw: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const target = COLUMNS[normalise(key).replace(/ /g, "_")];
    if (!target || value === "" || value === null || value === undefined) continue;
    if (target === "lat" || target === "lon") fields[target] = typeof value === "string" ? Number(value.replace(",", ".")) : value;
    else if (target === "aliases") fields.aliases = Array.isArray(value) ? value : String(value).split("|").map((a) => a.trim()).filter(Boolean);
    else fields[target] = typeof value === "string" ? value : String(value);
  }
  return fields;
}

const Position = z.tuple([z.number(), z.number()]).rest(z.number());
const Ring = z.array(Position).min(1);
const Geometry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Point"), coordinates: Position }),
  z.object({ type: z.literal("Polygon"), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
const FeatureCollection = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(z.object({ type: z.literal("Feature"), properties: z.record(z.string(), z.unknown()).nullable(), geometry: z.unknown() })),
});

/** A point for a geometry: the Point itself, or the mean of the (largest) outer ring's vertices. */
function centreOf(geometry: z.output<typeof Geometry>): { lat: number; lon: number } {
  if (geometry.type === "Point") return { lon: geometry.coordinates[0], lat: geometry.coordinates[1] };
  const rings = geometry.type === "Polygon" ? [geometry.coordinates[0]!] : geometry.coordinates.map((p) => p[0]!);
  const ring = rings.reduce((a, b) => (b.length > a.length ? b : a));
  const vertices = ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  return {
    lon: vertices.reduce((s, p) => s + p[0], 0) / vertices.length,
    lat: vertices.reduce((s, p) => s + p[1], 0) / vertices.length,
  };
}

function checked(rows: Array<Record<string, unknown>>, firstRow: number): ParsedList {
  const communes: CommuneRecord[] = [];
  const issues: RowIssue[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const row = firstRow + i;
    const parsed = CommuneRecord.safeParse(fieldsOf(raw));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ row, path: issue.path.join(".") || "(row)", message: issue.message });
      return;
    }
    const id = communeId(parsed.data);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      issues.push({ row, path: "name", message: `repeats row ${earlier} (same region, department and name)` });
      return;
    }
    seen.set(id, row);
    communes.push(parsed.data);
  });
  return { communes, issues };
}

/** A CSV list; rows are numbered as a spreadsheet shows them (the header is row 1). */
export function parseCommuneCsv(text: string): ParsedList {
  return checked(parseCsv(text), 2);
}

/** A GeoJSON FeatureCollection; rows are the features, from 1. */
export function parseCommuneGeoJson(text: string): ParsedList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { communes: [], issues: [{ row: 0, path: "(file)", message: `not JSON: ${(err as Error).message}` }] };
  }
  const collection = FeatureCollection.safeParse(json);
  if (!collection.success) return { communes: [], issues: [{ row: 0, path: "(file)", message: "not a GeoJSON FeatureCollection of Features" }] };
  const rows = collection.data.features.map((f) => {
    const geometry = Geometry.safeParse(f.geometry);
    return { ...(geometry.success ? centreOf(geometry.data) : {}), ...(f.properties ?? {}) };
  });
  return checked(rows, 1);
}

export function parseCommuneList(fileName: string, text: string): ParsedList {
  return /\.(geo)?json$/i.test(fileName) ? parseCommuneGeoJson(text) : parseCommuneCsv(text);
}

/** Writes the communes by id: new ones inserted, known ones replaced, nothing else touched. */
export async function saveCommunes(model: CommuneModel, communes: CommuneRecord[], now: Date): Promise<{ written: number }> {
  for (const c of communes) {
    await model.replaceOne({ _id: communeId(c) }, { _id: communeId(c), ...c, imported_at: now }, { upsert: true });
  }
  return { written: communes.length };
}
