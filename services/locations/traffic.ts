// Traffic reports: staff say an area (a centre and a radius) is jammed, with a severity from
// 1 (slow) to 5 (stopped). What a report says fades: its severity halves every half-life,
// and once under MIN_SEVERITY it is forgotten. Pure: the time is given.
import { haversineMeters, type Point } from "./geo.ts";

export const SEVERITY_MAX = 5;
/** Below this a report says nothing any more. */
export const MIN_SEVERITY = 0.25;
/** At severity 5 a road keeps this share of its speed. */
export const SLOWEST_SHARE = 0.3;

export interface TrafficReport extends Point {
  id: string;
  radius_m: number;
  severity: number;
  reported_at: Date;
  organization_id: string | null;
  note: string;
}

/** The severity a report still carries at `now`: exponential decay by half-life; nothing before it was made. */
export function currentSeverity(report: Pick<TrafficReport, "severity" | "reported_at">, now: Date, halfLifeMs: number): number {
  const age = now.getTime() - report.reported_at.getTime();
  if (age < 0) return 0;
  const severity = report.severity * 0.5 ** (age / halfLifeMs);
  return severity < MIN_SEVERITY ? 0 : severity;
}

/** When a report of this severity stops mattering. */
export function expiresAt(report: Pick<TrafficReport, "severity" | "reported_at">, halfLifeMs: number): Date {
  const halvings = Math.log2(report.severity / MIN_SEVERITY);
  return new Date(report.reported_at.getTime() + Math.max(0, halvings) * halfLifeMs);
}

/** The share of its speed a road keeps at a severity: 1 at 0, SLOWEST_SHARE at 5, linear. */
export const speedShare = (severity: number) => 1 - ((1 - SLOWEST_SHARE) * Math.min(severity, SEVERITY_MAX)) / SEVERITY_MAX;

/** Points along the straight line, to see which reported areas a trip crosses. */
function along(from: Point, to: Point, steps: number): Point[] {
  return Array.from({ length: steps + 1 }, (_, i) => ({ lat: from.lat + ((to.lat - from.lat) * i) / steps, lon: from.lon + ((to.lon - from.lon) * i) / steps }));
}

/**
 * How much the reports slow a trip: the speed share of the worst current report whose area
 * the straight line between the ends crosses (sampled every ~500 m, at most 40 points), 1
 * when none does.
 */
export function trafficShare(reports: readonly TrafficReport[], from: Point, to: Point, now: Date, halfLifeMs: number): number {
  if (!reports.length) return 1;
  const steps = Math.min(40, Math.max(1, Math.ceil(haversineMeters(from, to) / 500)));
  const points = along(from, to, steps);
  let worst = 0;
  for (const r of reports) {
    const severity = currentSeverity(r, now, halfLifeMs);
    if (severity <= worst) continue;
    if (points.some((p) => haversineMeters(p, r) <= r.radius_m)) worst = severity;
  }
  return speedShare(worst);
}
