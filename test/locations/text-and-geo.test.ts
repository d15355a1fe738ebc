// The pure pieces under every search and distance: names without accents, fuzzy matching,
// and great-circle distances.
import assert from "node:assert/strict";
import { haversineMeters } from "../../services/locations/geo.ts";
import { editDistance, nameScore, normalise } from "../../services/locations/text.ts";

/** The spherical law of cosines: another formula for the same great circle. */
function lawOfCosinesMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const c = Math.sin(r(a.lat)) * Math.sin(r(b.lat)) + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.cos(r(b.lon - a.lon));
  return 6_371_008.8 * Math.acos(Math.min(1, c));
}

const CITIES = {
  dakar: { lat: 14.6928, lon: -17.4467 },
  thies: { lat: 14.791, lon: -16.926 },
  saintLouis: { lat: 16.0179, lon: -16.4896 },
  ziguinchor: { lat: 12.5833, lon: -16.2719 },
  tambacounda: { lat: 13.7707, lon: -13.6673 },
  kedougou: { lat: 12.5556, lon: -12.1744 },
};

describe("place names without accents", () => {
  it("reads accented, cased and punctuated spellings as one name", () => {
    assert.equal(normalise("  MÉDINA "), "medina");
    assert.equal(normalise("Mermoz-Sacré-Cœur"), "mermoz sacre coeur");
    assert.equal(normalise("Patte d'Oie"), "patte d oie");
    assert.equal(normalise("Guédiawaye"), normalise("Guediawaye"));
  });

  it("counts edits between two names, and stops counting past the bound", () => {
    assert.equal(editDistance("ouakam", "ouakan"), 1);
    assert.equal(editDistance("kaolack", "kaolak"), 1);
    assert.equal(editDistance("dakar", "ziguinchor", 2), 3);
  });

  it("scores the same name highest, a prefix or a word of an address next, a typo lower, a stranger zero", () => {
    const same = nameScore("yoff", "yoff");
    const prefix = nameScore("grand y", "grand yoff");
    const inAddress = nameScore("mairie de yoff", "yoff");
    const typo = nameScore("ouakan", "ouakam");
    assert.equal(same, 1);
    assert.ok(prefix < same && prefix > typo, `${prefix} ${typo}`);
    assert.ok(inAddress > typo, `${inAddress} ${typo}`);
    assert.ok(typo > 0);
    assert.equal(nameScore("kolda", "yoff"), 0);
  });
});

describe("great-circle distances", () => {
  it("gives a degree of meridian as 111.2 km", () => {
    assert.ok(Math.abs(haversineMeters({ lat: 14, lon: -17 }, { lat: 15, lon: -17 }) - 111_195) < 5);
  });

  it("is within 1% of the great-circle value between Senegalese cities", () => {
    const names = Object.keys(CITIES) as Array<keyof typeof CITIES>;
    for (const a of names) {
      for (const b of names) {
        if (a === b) continue;
        const expected = lawOfCosinesMeters(CITIES[a], CITIES[b]);
        const got = haversineMeters(CITIES[a], CITIES[b]);
        assert.ok(Math.abs(got - expected) / expected < 0.01, `${a}–${b}: ${got} vs ${expected}`);
      }
    }
    // Dakar to Saint-Louis is about 180 km as the crow flies; Dakar to Kédougou about 617 km.
    assert.ok(Math.abs(haversineMeters(CITIES.dakar, CITIES.saintLouis) - 180_000) < 5_000);
    assert.ok(Math.abs(haversineMeters(CITIES.dakar, CITIES.kedougou) - 617_000) < 10_000);
  });
});
