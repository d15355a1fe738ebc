// The grid index and the ranking of nearby services, without a broker.
import assert from "node:assert/strict";
import type { PlacedBranch } from "../../services/locations/branches.ts";
import { geoIndex } from "../../services/locations/geo-index.ts";
import { haversineMeters } from "../../services/locations/geo.ts";
import { candidates, newTicketWaitMs, ranked, wantedServices, type OfferedService } from "../../services/locations/nearby.ts";

const aBranch = (id: string, lat: number, lon: number, organization_id = "o1"): PlacedBranch => ({
  id, organization_id, name: `Agence ${id}`, address: "", commune: "", latitude: lat, longitude: lon, lat, lon,
});
const HERE = { lat: 14.699, lon: -17.45 };
const calm = { at: new Date("2026-11-30T03:00:00Z"), reports: [], halfLifeMs: 1_800_000 };

describe("the grid geo index", () => {
  it("finds exactly the points a scan of all points finds, nearest first", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const points = Array.from({ length: 2000 }, (_, i) => aBranch(`b${i}`, 14.6 + random() * 0.3, -17.55 + random() * 0.4));
    const index = geoIndex(points);
    for (const radius of [300, 2_000, 15_000, 200_000]) {
      const got = index.within(HERE, radius).map((f) => f.item.id);
      const scanned = points.map((p) => ({ id: p.id, d: haversineMeters(HERE, p) })).filter((p) => p.d <= radius).sort((a, b) => a.d - b.d).map((p) => p.id);
      assert.deepEqual(got, scanned, `radius ${radius}`);
    }
  });

  it("finds points across a cell boundary and at the edge of the radius", () => {
    const index = geoIndex([aBranch("west", 14.7, -17.45001), aBranch("east", 14.7, -17.44999)]);
    assert.deepEqual(index.within({ lat: 14.7, lon: -17.45 }, 5).map((f) => f.item.id).sort(), ["east", "west"]);
    assert.equal(index.within({ lat: 14.8, lon: -17.45 }, 1000).length, 0);
  });
});

describe("nearby services", () => {
  const passport: OfferedService = { id: "s1", organization_id: "o1", branch_id: null, name_fr: "Renouvellement de passeport", name_en: "Passport renewal" };
  const onlyAtB2: OfferedService = { id: "s2", organization_id: "o1", branch_id: "b2", name_fr: "Dépôt d'espèces", name_en: "Cash deposit" };

  it("names services by id, or by a name in French or English without accents", () => {
    assert.deepEqual(wantedServices([passport, onlyAtB2], { service: "depot" }).map((s) => s.id), ["s2"]);
    assert.deepEqual(wantedServices([passport, onlyAtB2], { service: "PASSPORT" }).map((s) => s.id), ["s1"]);
    assert.deepEqual(wantedServices([passport, onlyAtB2], { service_id: "s1" }).map((s) => s.id), ["s1"]);
  });

  it("offers an organisation-wide service at each of its branches, a branch's service at that branch only", () => {
    const index = geoIndex([aBranch("b1", 14.7, -17.45), aBranch("b2", 14.705, -17.45), aBranch("x", 14.7, -17.451, "o2")]);
    const found = candidates(index, [passport, onlyAtB2], HERE, 5_000);
    assert.deepEqual(found.map((c) => `${c.branch.id}/${c.service.id}`), ["b1/s1", "b2/s1", "b2/s2"]);
  });

  it("estimates a new ticket's wait from those waiting, the service time and the open counters", () => {
    assert.equal(newTicketWaitMs({ waiting_count: 6, estimate: { service_ms: 600_000 }, counters: [{ open: true }, { open: true }, { open: false }] }), 1_800_000);
    assert.equal(newTicketWaitMs({ waiting_count: 3, estimate: { service_ms: 600_000 }, counters: [] }), 1_800_000);
  });

  it("ranks by the total time to be served: a farther branch with no one waiting beats a near one with a long queue", () => {
    const near = aBranch("near", 14.7, -17.45);
    const far = aBranch("far", 14.718, -17.45);
    const found = candidates(geoIndex([near, far]), [passport], HERE, 5_000);
    const waits = new Map([
      ["near:s1", { queue_id: "q1", status: "open", waiting_count: 6, estimated_wait_ms: 3_600_000 }],
      ["far:s1", { queue_id: "q2", status: "open", waiting_count: 0, estimated_wait_ms: 0 }],
    ]);
    const rows = ranked(found, waits, HERE, "car", calm);
    assert.deepEqual(rows.map((r) => r.branch.id), ["far", "near"]);
    assert.equal(rows[1]!.total_s, rows[1]!.travel.duration_s + 3600);
    // Without waits, the nearest is first.
    assert.deepEqual(ranked(found, new Map(), HERE, "car", calm).map((r) => r.branch.id), ["near", "far"]);
  });

  it("ranks last, nearest first and with the reason, where a ticket taken now would not be served", () => {
    const branches = ["open", "closed", "paused", "none"].map((id, i) => aBranch(id, 14.7 + (3 - i) * 0.004, -17.45));
    const found = candidates(geoIndex(branches), [passport], HERE, 5_000);
    const waits = new Map([
      ["open:s1", { queue_id: "q1", status: "open", waiting_count: 9, estimated_wait_ms: 5_400_000 }],
      ["closed:s1", { queue_id: "q2", status: "closed", waiting_count: 0, estimated_wait_ms: 0 }],
      ["paused:s1", { queue_id: "q3", status: "paused", waiting_count: 0, estimated_wait_ms: 0 }],
    ]);
    const rows = ranked(found, waits, HERE, "car", calm);
    assert.deepEqual(rows.map((r) => [r.branch.id, r.available, r.unavailable_reason]), [
      ["open", true, null], ["none", false, "no_queue"], ["paused", false, "queue_paused"], ["closed", false, "queue_closed"],
    ]);
    assert.deepEqual(rows.slice(1).map((r) => r.total_s), [null, null, null]);
  });
});
