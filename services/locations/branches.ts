// Branches as the locations service knows them: what business answers to
// `business.branches.located` (never its collection).
import type { Context } from "moleculer";
import { callOf, type Caller } from "./caller.ts";
import type { Point } from "./geo.ts";
import { geoIndex, type GeoIndex } from "./geo-index.ts";

export interface LocatedBranch {
  id: string;
  organization_id: string;
  name: string;
  address: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
}

export type PlacedBranch = LocatedBranch & Point;

export const locatedBranches = (caller: Caller) => callOf(caller)<LocatedBranch[], object>("business.branches.located", {});

/** Only branches with coordinates can be placed on a map. */
export function placed(branches: LocatedBranch[]): PlacedBranch[] {
  return branches.flatMap((b) => (b.latitude !== null && b.longitude !== null ? [{ ...b, lat: b.latitude, lon: b.longitude }] : []));
}

/** The branches' geo index, built again only when business answers a different list. */
export function branchGeoIndex() {
  let built: { key: string; index: GeoIndex<PlacedBranch> } | null = null;
  return {
    async get(ctx: Context): Promise<GeoIndex<PlacedBranch>> {
      const branches = placed(await locatedBranches(ctx));
      const key = branches.map((b) => `${b.id}@${b.lat},${b.lon}`).join(";");
      if (built?.key !== key) built = { key, index: geoIndex(branches) };
      return built.index;
    },
  };
}
