// The outside geocoder, when NOMINATIM_BASE_URL is set: OpenStreetMap's Nominatim (or a
// self-hosted one) through its /search API, limited to Senegal, in French. Its usage
// policy asks for an identifying User-Agent and at most one request a second, so it is
// asked only when the gazetteer and the branches found nothing.
import { request, statusFailure, withoutTrailingSlash } from "../../mixins/http/provider-request.ts";
import { errors } from "../../mixins/api/errors.ts";
import { z } from "zod";
import type { ForwardResult } from "./geocoding.ts";

export interface NominatimSettings {
  baseUrl: string;
  userAgent: string;
  timeoutMs: number;
}

const Found = z.array(
  z.object({ lat: z.coerce.number(), lon: z.coerce.number(), display_name: z.string(), osm_type: z.string().optional(), osm_id: z.coerce.string().optional(), importance: z.coerce.number().optional() }),
);

export async function nominatimSearch(settings: NominatimSettings, text: string, limit: number): Promise<ForwardResult[]> {
  const query = new URLSearchParams({ q: text, format: "jsonv2", countrycodes: "sn", limit: String(limit), "accept-language": "fr" });
  const answer = await request("Nominatim", `${withoutTrailingSlash(settings.baseUrl)}/search?${query}`, {
    method: "GET",
    headers: { "user-agent": settings.userAgent },
    timeoutMs: settings.timeoutMs,
  });
  if (answer.status !== 200) throw statusFailure("Nominatim", "search", answer);
  const found = Found.safeParse(answer.body);
  if (!found.success) throw errors.providerFailed("Nominatim", "search answered something that is not a list of places", { retryable: false, status: answer.status });
  return found.data.map((f) => ({
    kind: "external", id: f.osm_type && f.osm_id ? `osm:${f.osm_type}/${f.osm_id}` : null, name: f.display_name, latitude: f.lat, longitude: f.lon,
    score: Math.round(Math.min(1, f.importance ?? 0.5) * 100) / 100, region: null, department: null, commune: null, organization_id: null, address: f.display_name,
  }));
}
