// Every service a node can run, by the name used in the SERVICES setting.
import type { ServiceSchema } from "moleculer";
import type { ServiceName } from "../config/index.ts";
import type { NodeDeps } from "../platform/node-deps.ts";
import accountsService from "./accounts/accounts.service.ts";
import apiService from "./api/api.service.ts";
import appointmentsService from "./appointments/appointments.service.ts";
import businessService from "./business/business.service.ts";
import liveService from "./live/live.service.ts";
import notificationsService from "./notifications/notifications.service.ts";
import queuesService from "./queues/queues.service.ts";
import schedulerService from "./scheduler/scheduler.service.ts";

type DomainService = Exclude<ServiceName, "api">;

export const domainServices: Record<DomainService, (deps: NodeDeps) => ServiceSchema> = {
  accounts: accountsService,
  appointments: appointmentsService,
  business: businessService,
  live: liveService,
  notifications: notificationsService,
  queues: queuesService,
  scheduler: schedulerService,
};

/** The schemas of the services to run on this node; the gateway documents all of them. */
export function servicesFor(deps: NodeDeps): ServiceSchema[] {
  const documented = Object.values(domainServices).map((make) => make(deps));
  const wanted = new Set(deps.config.services);
  const domain = documented.filter((schema) => wanted.has(schema.name as ServiceName));
  return wanted.has("api") ? [apiService({ ...deps, documented }), ...domain] : domain;
}
