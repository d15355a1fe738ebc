// Every service a node can run, by the name used in the SERVICES setting. Each is loaded
// only when the node runs it (or runs the gateway, which documents them all): a node that
// runs only the live service starts in about a third of the time, which is how long its
// screens wait when it restarts.
import type { ServiceSchema } from "moleculer";
import type { ServiceName } from "../config/index.ts";
import type { NodeDeps } from "./node-deps.ts";

type DomainService = Exclude<ServiceName, "api">;
type Make = (deps: NodeDeps) => ServiceSchema;

const domainServices: Record<DomainService, () => Promise<Make>> = {
  accounts: async () => (await import("./accounts/accounts.service.ts")).default,
  appointments: async () => (await import("./appointments/appointments.service.ts")).default,
  business: async () => (await import("./business/business.service.ts")).default,
  live: async () => (await import("./live/live.service.ts")).default,
  notifications: async () => (await import("./notifications/notifications.service.ts")).default,
  queues: async () => (await import("./queues/queues.service.ts")).default,
  scheduler: async () => (await import("./scheduler/scheduler.service.ts")).default,
};

/** The schemas of the services to run on this node; the gateway documents all of them. */
export async function servicesFor(deps: NodeDeps): Promise<ServiceSchema[]> {
  const wanted = new Set(deps.config.services);
  const withGateway = wanted.has("api");
  const names = (Object.keys(domainServices) as DomainService[]).filter((name) => withGateway || wanted.has(name));
  const schemas = await Promise.all(names.map(async (name) => (await domainServices[name]())(deps)));
  const domain = schemas.filter((schema) => wanted.has(schema.name as ServiceName));
  if (!withGateway) return domain;
  const { default: apiService } = await import("./api/api.service.ts");
  return [apiService({ ...deps, documented: schemas }), ...domain];
}
