// The bundled gazetteer and the operator's commune lists, without a broker.
import assert from "node:assert/strict";
import { parseCommuneCsv, parseCommuneGeoJson } from "../../services/locations/commune-import.ts";
import { parseCsv } from "../../services/locations/csv.ts";
import { findCommunes, loadGazetteer, nearestCommune } from "../../services/locations/gazetteer.ts";

const g = loadGazetteer();
const communesOf = (department: string) => g.communes.filter((c) => c.department === department).map((c) => c.name);

describe("the bundled gazetteer", () => {
  it("holds Senegal's 14 regions and 46 departments, each department in a known region", () => {
    assert.equal(g.regions.length, 14);
    assert.equal(g.departments.length, 46);
    const regions = new Set(g.regions.map((r) => r.name));
    for (const d of g.departments) assert.ok(regions.has(d.region), d.name);
    assert.deepEqual(g.departments.filter((d) => d.region === "Dakar").map((d) => d.name).sort(), ["Dakar", "Guédiawaye", "Keur Massar", "Pikine", "Rufisque"]);
  });

  it("holds every commune of the Dakar region, department by department", () => {
    assert.equal(communesOf("Dakar").length, 19);
    assert.equal(communesOf("Guédiawaye").length, 5);
    assert.equal(communesOf("Pikine").length, 12);
    assert.equal(communesOf("Keur Massar").length, 6);
    assert.equal(communesOf("Rufisque").length, 11);
    assert.equal(new Set(g.communes.map((c) => c.id)).size, g.communes.length);
    for (const c of g.communes) assert.ok(c.lat > 14.6 && c.lat < 14.85 && c.lon > -17.55 && c.lon < -17.05, c.name);
  });

  it("says where its data comes from", () => {
    assert.match(g.source, /approximate/);
  });

  it("finds the commune of a point inside each Dakar commune", () => {
    for (const c of g.communes) {
      // 150 m north-east of the centroid: still nearest its own.
      const found = nearestCommune(g, { lat: c.lat + 0.001, lon: c.lon + 0.0008 });
      assert.equal(found?.place.id, c.id);
    }
  });

  it("searches names and aliases without accents or case", () => {
    const names = (search: string) => findCommunes(g, { search }).map((c) => c.name).sort();
    assert.deepEqual(names("MEDINA"), ["Médina", "Médina Gounass"]);
    assert.deepEqual(names("sacre coeur"), ["Mermoz-Sacré-Cœur"]);
    assert.deepEqual(names("camberene"), ["Cambérène"]);
    assert.deepEqual(names("wakam"), ["Ouakam"]);
  });

  it("filters by region and department, by name without accents", () => {
    assert.equal(findCommunes(g, { department: "guediawaye" }).length, 5);
    assert.equal(findCommunes(g, { region: "Dakar" }).length, 53);
    assert.equal(findCommunes(g, { region: "Thiès" }).length, 0);
    assert.deepEqual(findCommunes(g, { department: "Pikine", search: "thiaroye" }).map((c) => c.name).sort(), ["Djida Thiaroye Kao", "Thiaroye Gare", "Thiaroye sur Mer"]);
  });

  it("lets an imported commune replace the bundled one of the same id, and add others", () => {
    const imported = loadGazetteer([
      { name: "Médina", region: "Dakar", department: "Dakar", lat: 14.681, lon: -17.45, aliases: ["Medina"] },
      { name: "Touba Mosquée", region: "Diourbel", department: "Mbacké", lat: 14.86, lon: -15.88, aliases: ["Touba"] },
    ]);
    assert.equal(imported.communes.length, g.communes.length + 1);
    assert.equal(imported.communes.find((c) => c.name === "Médina")?.lat, 14.681);
    assert.equal(findCommunes(imported, { search: "touba", region: "diourbel" }).length, 1);
  });
});

describe("an operator's commune list", () => {
  it("reads CSV with quotes, commas and line breaks inside fields, and ; as separator", () => {
    assert.deepEqual(parseCsv('name,aliases\n"Thiès, ville","a|""b""\nc"\r\n'), [{ name: "Thiès, ville", aliases: 'a|"b"\nc' }]);
    assert.deepEqual(parseCsv("nom;lat\nKaolack;14,15\n"), [{ nom: "Kaolack", lat: "14,15" }]);
  });

  it("takes French column names and decimal commas, and splits aliases on |", () => {
    const { communes, issues } = parseCommuneCsv("Nom;Région;Département;Latitude;Longitude;Aliases\nTouba Mosquée;Diourbel;Mbacké;14,86;-15,88;Touba|Touba Mosque\n");
    assert.deepEqual(issues, []);
    assert.deepEqual(communes, [{ name: "Touba Mosquée", region: "Diourbel", department: "Mbacké", lat: 14.86, lon: -15.88, aliases: ["Touba", "Touba Mosque"] }]);
  });

  it("names every bad row, its field and the problem, and repeated communes", () => {
    const { communes, issues } = parseCommuneCsv(
      "name,region,department,lat,lon\nKaolack,Kaolack,Kaolack,14.15,-16.07\n,Kaolack,Kaolack,14.1,-16\nNdoffane,Kaolack,Kaolack,95,-16\nkaolack,KAOLACK,Kaolack,14.15,-16.07\n",
    );
    assert.equal(communes.length, 1);
    assert.deepEqual(issues.map((i) => [i.row, i.path]), [[3, "name"], [4, "lat"], [5, "name"]]);
  });

  it("reads GeoJSON points and polygons (the mean of the outer ring)", () => {
    const file = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { name: "Fatick", region: "Fatick", department: "Fatick" }, geometry: { type: "Point", coordinates: [-16.41, 14.34] } },
        { type: "Feature", properties: { nom: "Carré", region: "Fatick", departement: "Gossas" }, geometry: { type: "Polygon", coordinates: [[[-16, 14], [-16, 15], [-15, 15], [-15, 14], [-16, 14]]] } },
        { type: "Feature", properties: { name: "Sans lieu", region: "Fatick", department: "Gossas" }, geometry: null },
      ],
    });
    const { communes, issues } = parseCommuneGeoJson(file);
    assert.deepEqual(communes.map((c) => [c.name, c.lat, c.lon]), [["Fatick", 14.34, -16.41], ["Carré", 14.5, -15.5]]);
    assert.deepEqual(issues.map((i) => [i.row, i.path]), [[3, "lat"], [3, "lon"]]);
    assert.equal(parseCommuneGeoJson("{").issues[0]?.path, "(file)");
    assert.equal(parseCommuneGeoJson('{"type":"Feature"}').issues[0]?.path, "(file)");
  });
});
