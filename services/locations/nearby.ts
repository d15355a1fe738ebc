// Nearby services: which branches offer a service near a point, and how long it takes to be
// served there — the trip (travel.ts) plus the wait a ticket taken now would have (the queue
// engine's figures). Pure: the branches' index, the services and the waits are given.
import type { PlacedBranch } from "./branches.ts";
import type { GeoIndex } from "./geo-index.ts";
import type { Point } from "./geo.ts";
import type { Mode } from "./speed-profile.ts";
import { nameScore, normalise } from "./text.ts";
import { estimate, type TravelContext } from "./travel.ts";

export interface OfferedService {
  id: string;
  organization_id: string;
  /** null: offered at every branch of its organisation. */
  branch_id: string | null;
  name_fr: string;
  name_en: string;
}

/** The services a request names: by id, or by a name in French or English (fuzzy, accents aside). */
export function wantedServices(services: readonly OfferedService[], want: { service_id?: string; service?: string }): OfferedService[] {
  if (want.service_id) return services.filter((s) => s.id === want.service_id);
  const query = normalise(want.service ?? "");
  if (!query) return [];
  return services.filter((s) => [s.name_fr, s.name_en].some((name) => {
    const key = normalise(name);
    return key.includes(query) || nameScore(query, key) >= 0.5;
  }));
}

export interface Candidate {
  branch: PlacedBranch;
  service: OfferedService;
  distance_m: number;
}

/** Each (branch, service) within the radius, nearest first. */
export function candidates(index: GeoIndex<PlacedBranch>, services: readonly OfferedService[], point: Point, radiusM: number): Candidate[] {
  const found: Candidate[] = [];
  for (const { item: branch, distance_m } of index.within(point, radiusM)) {
    for (const service of services) {
      const offered = service.branch_id ? service.branch_id === branch.id : service.organization_id === branch.organization_id;
      if (offered) found.push({ branch, service, distance_m });
    }
  }
  return found;
}

/** What the queue engine says of a queue for the service at the branch. */
export interface QueueWait {
  queue_id: string;
  status: string;
  waiting_count: number;
  estimated_wait_ms: number;
}

/** The wait of a ticket taken now: everyone waiting served, shared by the open counters. */
export function newTicketWaitMs(snapshot: { waiting_count: number; estimate: { service_ms: number }; counters: Array<{ open: boolean }> }): number {
  const open = snapshot.counters.filter((c) => c.open).length;
  return Math.round((snapshot.waiting_count * snapshot.estimate.service_ms) / Math.max(1, open));
}

/** Why a ticket taken now would not be served there: no queue for the service, or its queue is not open. */
export type Unavailable = "no_queue" | "queue_closed" | "queue_paused";

export function unavailableReason(queue: QueueWait | null): Unavailable | null {
  if (!queue) return "no_queue";
  if (queue.status === "open") return null;
  return queue.status === "paused" ? "queue_paused" : "queue_closed";
}

/**
 * Ranked by the total time to be served, travel then the wait, where a ticket taken now
 * would be served; after them, nearest first, those where it would not (with the reason,
 * and no total: a closed queue's figures say nothing of when one is served).
 */
export function ranked(found: readonly Candidate[], waits: ReadonlyMap<string, QueueWait | null>, point: Point, mode: Mode, context: TravelContext) {
  return found
    .map((c) => {
      const travel = estimate(point, c.branch, mode, context);
      const queue = waits.get(`${c.branch.id}:${c.service.id}`) ?? null;
      const unavailable = unavailableReason(queue);
      return {
        branch: { id: c.branch.id, organization_id: c.branch.organization_id, name: c.branch.name, address: c.branch.address, commune: c.branch.commune, latitude: c.branch.lat, longitude: c.branch.lon },
        service: { id: c.service.id, name_fr: c.service.name_fr, name_en: c.service.name_en },
        distance_m: Math.round(c.distance_m),
        travel: { mode, duration_s: travel.duration_s, route_distance_m: travel.route_distance_m },
        queue,
        available: unavailable === null,
        unavailable_reason: unavailable,
        total_s: queue && !unavailable ? travel.duration_s + Math.round(queue.estimated_wait_ms / 1000) : null,
      };
    })
    .sort((a, b) => Number(b.available) - Number(a.available) || (a.total_s ?? 0) - (b.total_s ?? 0) || a.distance_m - b.distance_m);
}
