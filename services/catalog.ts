// Every service a node can run, by the name used in the SERVICES setting. Each is loaded
// only when the node runs it (or runs the gateway, which documents them all): a node that
// runs only the live service starts in about a third of the time, which is how long its
// screens wait when it restarts.
import type { ServiceSchema } from "moleculer";
import type { ServiceName } from "../config/index.ts";
import type { NodeDeps } from "./node-deps.ts";

type DomainService = Exclude<ServiceName, "api">;
/** One name in SERVICES may stand for several Moleculer services (business: one per entity). */
type Make = (deps: NodeDeps) => ServiceSchema[];
type ServiceModule = Promise<{ default: (deps: NodeDeps) => ServiceSchema }>;
const all = async (...modules: ServiceModule[]): Promise<Make> => {
  const loaded = await Promise.all(modules);
  return (deps) => loaded.map((module) => module.default(deps));
};

const domainServices: Record<DomainService, () => Promise<Make>> = {
  accounts: () => all(import("./accounts/accounts.service.ts"), import("./accounts/display-tokens.service.ts")),
  analytics: () => all(import("./analytics/analytics.service.ts")),
  appointments: () => all(import("./appointments/appointments.service.ts")),
  business: () =>
    all(
      import("./business/business.service.ts"),
      import("./business/organizations.service.ts"),
      import("./business/branches.service.ts"),
      import("./business/offered-services.service.ts"),
    ),
  live: () => all(import("./live/live.service.ts")),
  locations: () => all(import("./locations/locations.service.ts")),
  notifications: () => all(import("./notifications/notifications.service.ts"), import("./notifications/templates.service.ts"), import("./notifications/push-tokens.service.ts")),
  payments: () => all(import("./payments/payments.service.ts")),
  queues: () => all(import("./queues/queues.service.ts"), import("./queues/trackers.service.ts"), import("./queues/screens.service.ts")),
  scheduler: () => all(import("./scheduler/scheduler.service.ts")),
};

/** Every service but the live channels keeps data: a node of live channels only reaches it through the others. */
export const usesDatabase = (services: readonly ServiceName[]): boolean => services.some((name) => name !== "live");

/** The schemas of the services to run on this node; the gateway documents all of them. */
export async function servicesFor(deps: NodeDeps): Promise<ServiceSchema[]> {
  const wanted = new Set(deps.config.services);
  const withGateway = wanted.has("api");
  const names = (Object.keys(domainServices) as DomainService[]).filter((name) => withGateway || wanted.has(name));
  const made = await Promise.all(names.map(async (name) => ({ name, schemas: (await domainServices[name]())(deps) })));
  const schemas = made.flatMap((m) => m.schemas);
  const domain = made.filter((m) => wanted.has(m.name)).flatMap((m) => m.schemas);
  if (!withGateway) return domain;
  const { default: apiService } = await import("./api/api.service.ts");
  return [apiService({ ...deps, documented: schemas }), ...domain];
}
