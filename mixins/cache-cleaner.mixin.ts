// Cleans this service's entries in the node's cacher when a record it caches changes on
// any node: moleculer-db broadcasts `cache.clean.<service>` after each change (db.mixin.ts),
// and every node running the service drops what it remembered.
import type { Service, ServiceSchema } from "moleculer";

export function cacheCleaner(): ServiceSchema {
  return {
    name: "",
    merged(schema: ServiceSchema) {
      // The service's own name is known only once the mixins are merged.
      schema.events ??= {};
      schema.events[`cache.clean.${schema.name}`] = async function (this: Service) {
        await this.broker.cacher?.clean(`${this.fullName}.**`);
      };
    },
  };
}
