// A traffic report as the API shows it: what it said, what it says now, and until when.
import { currentSeverity, expiresAt, type TrafficReport } from "./traffic.ts";

export function trafficToWire(r: TrafficReport, now: Date, halfLifeMs: number) {
  return {
    id: r.id, latitude: r.lat, longitude: r.lon, radius_m: r.radius_m, severity: r.severity,
    current_severity: Math.round(currentSeverity(r, now, halfLifeMs) * 100) / 100,
    reported_at: r.reported_at.toISOString(), expires_at: expiresAt(r, halfLifeMs).toISOString(),
    organization_id: r.organization_id, note: r.note,
  };
}
