import type { ServiceSchema } from "moleculer";
import type { NodeDeps } from "../../platform/node-deps.ts";
export default function businessService(_deps: NodeDeps): ServiceSchema {
  return { name: "business", settings: { rest: "/business" }, actions: { organizationExists: { visibility: "public", handler: () => true } } };
}
