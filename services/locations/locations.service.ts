// locations: Senegal's gazetteer (gazetteer.ts, bundled data plus the operator's import),
// searched accent-insensitively (text.ts), and geocoding over it and the branches
// (geocoding.ts; Nominatim when configured, nominatim.ts). Handlers validate, authorise and delegate.
import type { ServiceSchema } from "moleculer";
import { currentUser } from "../../mixins/api/authorize.ts";
import { paginateRows } from "../../mixins/api/pagination.ts";
import { validated } from "../../mixins/api/validated.ts";
import type { NodeDeps } from "../node-deps.ts";
import { locatedBranches, placed } from "./branches.ts";
import { forwardGeocode, reverseGeocode } from "./geocoding.ts";
import { nominatimSearch } from "./nominatim.ts";
import { findCommunes, placeToWire, type Place } from "./gazetteer.ts";
import { gazetteerSource } from "./gazetteer-source.ts";
import * as S from "./schemas.ts";
import { locationsStore } from "./store.ts";
import { normalise } from "./text.ts";

/** Communes order by their names without accents ("Médina" between "Mbao" and "Mermoz"). */
const COMMUNE_ORDER = { searchFields: [], defaultOrdering: "name" };
const sortable = (p: Place) => ({ place: p, name: normalise(p.name), region: normalise(p.region), department: normalise(p.department ?? "") });

export default function locationsService({ config, db }: NodeDeps): ServiceSchema {
  const settings = config.locations;
  const store = locationsStore(db);
  const gazetteer = gazetteerSource(store, settings.gazetteerRefreshMs);

  return {
    name: "locations",
    settings: { rest: "/locations" },
    actions: {
      listCommunes: {
        rest: "GET /communes",
        handler: validated(S.ListCommunes, async function (ctx) {
          currentUser(ctx);
          const { search, region, department, ...page } = ctx.params.query;
          const found = findCommunes(await gazetteer.get(), { search, region, department });
          return paginateRows(ctx, found.map(sortable), page, COMMUNE_ORDER, (row) => placeToWire(row.place));
        }),
      },

      geocode: {
        rest: "POST /geocoding",
        handler: validated(S.Geocode, async function (ctx) {
          currentUser(ctx);
          const { address, latitude, longitude, limit } = ctx.params.body;
          const places = await gazetteer.get();
          if (address === undefined) {
            return { type: "reverse", latitude, longitude, commune: reverseGeocode(places, { lat: latitude!, lon: longitude! }) };
          }
          const found = forwardGeocode(places, placed(await locatedBranches(ctx)), address, limit);
          const outside = !found.length && settings.nominatim;
          const results = outside ? await nominatimSearch(settings.nominatim, address, limit) : found;
          return { type: "forward", address, source: outside ? "nominatim" : "smartqueue", results };
        }),
      },

      /** Internal: read the imported communes now (after an import, instead of waiting for the refresh). */
      reloadGazetteer: {
        visibility: "public",
        handler: validated(S.Reload, async () => ({ communes: (await gazetteer.reload()).communes.length })),
      },
    },
    async started() {
      await Promise.all(Object.values(store).map((model) => model.createIndexes()));
      await gazetteer.reload();
    },
  };
}
