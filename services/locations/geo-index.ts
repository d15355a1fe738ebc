// An in-memory geo index: points bucketed in a grid of cells CELL_DEGREES on a side
// (~1.1 km in Senegal), so that "within r metres of here" reads the few cells around the
// point instead of every point. MongoDB-compatible servers here have no geospatial index.
import { haversineMeters, type Point } from "./geo.ts";

export const CELL_DEGREES = 0.01;
const METRES_PER_DEGREE_LAT = 111_195;

const cellOf = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lon / CELL_DEGREES)}`;

export interface GeoIndex<T extends Point> {
  size: number;
  /** The points within `radiusM` of `centre`, nearest first, with their distance. */
  within(centre: Point, radiusM: number): Array<{ item: T; distance_m: number }>;
}

export function geoIndex<T extends Point>(items: readonly T[]): GeoIndex<T> {
  const cells = new Map<string, T[]>();
  for (const item of items) {
    const key = cellOf(item.lat, item.lon);
    const cell = cells.get(key);
    if (cell) cell.push(item);
    else cells.set(key, [item]);
  }
  return {
    size: items.length,
    within(centre, radiusM) {
      const dLat = radiusM / METRES_PER_DEGREE_LAT;
      const dLon = radiusM / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((centre.lat * Math.PI) / 180)));
      const found: Array<{ item: T; distance_m: number }> = [];
      const [lat0, lat1] = [Math.floor((centre.lat - dLat) / CELL_DEGREES), Math.floor((centre.lat + dLat) / CELL_DEGREES)];
      const [lon0, lon1] = [Math.floor((centre.lon - dLon) / CELL_DEGREES), Math.floor((centre.lon + dLon) / CELL_DEGREES)];
      // A radius wider than the grid's extent reads every cell rather than the empty ones between.
      if ((lat1 - lat0 + 1) * (lon1 - lon0 + 1) > cells.size) {
        for (const cell of cells.values()) collect(cell);
      } else {
        for (let a = lat0; a <= lat1; a++) for (let o = lon0; o <= lon1; o++) collect(cells.get(`${a}:${o}`) ?? []);
      }
      return found.sort((x, y) => x.distance_m - y.distance_m);
      function collect(cell: readonly T[]) {
        for (const item of cell) {
          const d = haversineMeters(centre, item);
          if (d <= radiusM) found.push({ item, distance_m: d });
        }
      }
    },
  };
}
