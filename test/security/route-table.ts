// The REST routes the running node serves, read from Moleculer's registry (each action's
// `rest`), with their path parameters filled in: the generated side of the tenant matrix.
import { system } from "../support/system.ts";

export interface Route {
  method: string;
  /** The gateway path, e.g. /api/queues/tickets/:id */
  path: string;
  action: string;
  /** Open to callers without a token (login, register, refresh). */
  anonymous: boolean;
}

/** Every action with a `rest` of the services mounted under /api. */
export function restRoutes(): Route[] {
  const services = system().node.broker.registry.getServiceList({ onlyLocal: true, withActions: true }) as Array<{
    name: string;
    settings?: { rest?: string };
    actions: Record<string, { rest?: string | { method: string; path: string }; anonymous?: boolean }>;
  }>;
  const routes: Route[] = [];
  for (const service of services) {
    const base = service.settings?.rest;
    if (base === undefined || service.name === "api") continue; // the gateway's own routes are not under /api
    for (const [action, def] of Object.entries(service.actions)) {
      if (!def.rest) continue;
      const [method, path] = typeof def.rest === "string" ? def.rest.split(" ") : [def.rest.method, def.rest.path];
      routes.push({ method: method!, path: `/api${base}${path}`, action, anonymous: def.anonymous === true });
    }
  }
  return routes;
}

/** The route's path with each `:param` replaced by `ids[param]` (or the fallback), slash-ended. */
export function filled(route: Route, ids: Record<string, string>, fallback: string): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(ids[name] ?? fallback));
  return path.endsWith("/") ? path : `${path}/`;
}
