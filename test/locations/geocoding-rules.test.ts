// Forward and reverse geocoding over the gazetteer and branches, without a broker.
import assert from "node:assert/strict";
import type { PlacedBranch } from "../../services/locations/branches.ts";
import { loadGazetteer } from "../../services/locations/gazetteer.ts";
import { forwardGeocode, reverseGeocode } from "../../services/locations/geocoding.ts";

const g = loadGazetteer();
const branch: PlacedBranch = {
  id: "b1", organization_id: "o1", name: "Agence CBAO Sacré-Cœur", address: "Avenue Cheikh Anta Diop, Fann", commune: "Fann-Point E-Amitié",
  latitude: 14.6935, longitude: -17.4662, lat: 14.6935, lon: -17.4662,
};
const first = (text: string, branches: PlacedBranch[] = []) => forwardGeocode(g, branches, text, 5)[0];

describe("forward geocoding", () => {
  it("finds a commune by its name, without accents or case", () => {
    assert.equal(first("MEDINA")?.name, "Médina");
    assert.equal(first("medina")?.kind, "commune");
    assert.equal(first("Cambérène")?.name, "Cambérène");
  });

  it("finds a commune by an alias or a common spelling", () => {
    assert.equal(first("Sacre Coeur")?.name, "Mermoz-Sacré-Cœur");
    assert.equal(first("DTK")?.name, "Djida Thiaroye Kao");
  });

  it("forgives a typo", () => {
    assert.equal(first("Ouakan")?.name, "Ouakam");
    assert.equal(first("Guediawey")?.name, "Guédiawaye");
  });

  it("finds the place named in a longer address", () => {
    assert.equal(first("Mairie de Yoff")?.name, "Yoff");
  });

  it("finds departments and regions outside Dakar, the department first", () => {
    const results = forwardGeocode(g, [], "thies", 5);
    assert.deepEqual(results.slice(0, 2).map((r) => r.kind), ["department", "region"]);
    assert.equal(results[0]!.latitude, 14.791);
  });

  it("finds a branch by its address or its name, with its organisation", () => {
    const byAddress = first("avenue cheikh anta diop", [branch]);
    assert.equal(byAddress?.kind, "branch");
    assert.equal(byAddress?.organization_id, "o1");
    assert.equal(first("agence cbao sacre coeur", [branch])?.id, "b1");
  });

  it("finds nothing for a name it does not know", () => {
    assert.deepEqual(forwardGeocode(g, [branch], "xyzzy plugh", 5), []);
    assert.deepEqual(forwardGeocode(g, [], "  ", 5), []);
  });

  it("answers at most the asked number of results, best first", () => {
    const results = forwardGeocode(g, [], "pikine", 3);
    assert.equal(results.length, 3);
    for (let i = 1; i < results.length; i++) assert.ok(results[i - 1]!.score >= results[i]!.score);
  });
});

describe("reverse geocoding", () => {
  it("gives the commune of a point inside each Dakar commune, with the distance to its centroid", () => {
    for (const c of g.communes) {
      const found = reverseGeocode(g, { lat: c.lat - 0.0007, lon: c.lon + 0.0005 });
      assert.equal(found?.id, c.id);
      assert.ok(found!.distance_m < 120, `${c.name}: ${found!.distance_m}`);
    }
  });
});
