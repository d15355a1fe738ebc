// Sharing one's arrival with an office: a citizen holding an open ticket may let the staff
// of its organisation follow their locations while the ticket waits or is called (to see
// them coming), which also asks for "leave now" on it (leave-now.ts). It is the citizen's
// choice, made with a location (POST /user-locations/ with ticket_id), and ends with the
// ticket. Pure rules: what the queue engine says of a ticket comes from ticket-status.ts.
import type { Mode } from "./speed-profile.ts";
import type { UserPoint } from "./user-locations.ts";

export interface ArrivalShare {
  ticket_id: string;
  queue_id: string;
  organization_id: string;
  branch_id: string;
  /** How the citizen travels, for "leave now". */
  mode: Mode;
  /** Points recorded from then on are the organisation's staff's to see. */
  since: Date;
}

/** A citizen rarely holds more open tickets than this. */
export const MAX_SHARES = 5;

/** The shares kept once `added` is made: it replaces an earlier share of the same ticket. */
export function withShare(shares: readonly ArrivalShare[], added: ArrivalShare | null): ArrivalShare[] {
  if (!added) return [...shares];
  return [added, ...shares.filter((s) => s.ticket_id !== added.ticket_id)].slice(0, MAX_SHARES);
}

/** The organisations whose staff may follow the user now. */
export const sharedWith = (shares: readonly ArrivalShare[]): string[] => [...new Set(shares.map((s) => s.organization_id))];

/** What an organisation's staff see: the points since the user first shared with it, or null when it is not shared with. */
export function visibleTo(points: readonly UserPoint[], shares: readonly ArrivalShare[], organizationId: string): UserPoint[] | null {
  const ours = shares.filter((s) => s.organization_id === organizationId);
  if (!ours.length) return null;
  const since = Math.min(...ours.map((s) => new Date(s.since).getTime()));
  return points.filter((p) => new Date(p.recorded_at).getTime() >= since);
}
