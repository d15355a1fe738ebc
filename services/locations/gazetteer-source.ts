// The node's gazetteer in memory: the bundled data plus the imported communes, read again
// when older than the refresh time, so an import reaches every node within it.
import { loadGazetteer, type Gazetteer } from "./gazetteer.ts";
import { importedCommunes, type LocationsStore } from "./store.ts";

export interface GazetteerSource {
  get(): Promise<Gazetteer>;
  /** Reads the imported communes now. */
  reload(): Promise<Gazetteer>;
}

export function gazetteerSource(store: LocationsStore, refreshMs: number, now: () => number = Date.now): GazetteerSource {
  let current: { gazetteer: Gazetteer; at: number } | null = null;
  let loading: Promise<Gazetteer> | null = null;
  const reload = () => {
    loading ??= importedCommunes(store)
      .then((imported) => {
        current = { gazetteer: loadGazetteer(imported), at: now() };
        return current.gazetteer;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  return {
    reload,
    async get() {
      if (current && now() - current.at < refreshMs) return current.gazetteer;
      return reload();
    },
  };
}
