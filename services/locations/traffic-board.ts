// The traffic reports a node knows: those still in force, in memory. Reports reach every
// node through the locations.traffic.reported event; a starting node reads the recent ones
// from location_traffic and deletes those that no longer say anything.
import { randomUUID } from "node:crypto";
import type { EventPayload } from "../events.ts";
import { expiresAt, SEVERITY_MAX, type TrafficReport } from "./traffic.ts";
import type { LocationsStore, TrafficDoc } from "./store.ts";

export interface NewReport {
  latitude: number;
  longitude: number;
  radius_m: number;
  severity: number;
  note?: string;
}

const toReport = (d: Omit<TrafficDoc, "reported_by">): TrafficReport => ({
  id: d._id, lat: d.lat, lon: d.lon, radius_m: d.radius_m, severity: d.severity, reported_at: new Date(d.reported_at), organization_id: d.organization_id, note: d.note,
});

export function trafficBoard(store: LocationsStore, halfLifeMs: number, now: () => Date) {
  const reports = new Map<string, TrafficReport>();
  const inForce = (r: TrafficReport) => expiresAt(r, halfLifeMs) > now();
  const add = (r: TrafficReport) => {
    if (inForce(r)) reports.set(r.id, r);
  };
  return {
    /** The reports still in force, newest first. */
    current(): TrafficReport[] {
      for (const [id, r] of reports) if (!inForce(r)) reports.delete(id);
      return [...reports.values()].sort((a, b) => b.reported_at.getTime() - a.reported_at.getTime());
    },
    async load(): Promise<void> {
      // Older than the life of the strongest report: faded, whatever its severity.
      const longestLifeMs = expiresAt({ severity: SEVERITY_MAX, reported_at: new Date(0) }, halfLifeMs).getTime();
      await store.traffic.deleteMany({ reported_at: { $lt: new Date(now().getTime() - longestLifeMs) } });
      for (const doc of await store.traffic.find({}).lean<TrafficDoc[]>()) add(toReport(doc));
    },
    async report(by: { id: string; organization_id: string | null }, body: NewReport): Promise<TrafficReport> {
      const doc: TrafficDoc = {
        _id: randomUUID(), lat: body.latitude, lon: body.longitude, radius_m: body.radius_m, severity: body.severity,
        reported_at: now(), organization_id: by.organization_id, reported_by: by.id, note: body.note ?? "",
      };
      await store.traffic.create(doc);
      const report = toReport(doc);
      add(report);
      return report;
    },
    /** A report made on another node (or this one: the same id is kept once). */
    heard(payload: EventPayload<"locations.traffic.reported">): void {
      add({ ...payload, reported_at: new Date(payload.reported_at) });
    },
  };
}

export type TrafficBoard = ReturnType<typeof trafficBoard>;
