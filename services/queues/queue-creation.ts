// What a new queue is checked against before it is stored: its branch, organisation and
// service must be the organisation's own (a queue on another organisation's service would
// receive that organisation's check-ins), and its waits are planned with the service's
// expected duration until the queue has its own.
import type { Context } from "moleculer";
import { errors } from "../../mixins/api/errors.ts";
import type { PolicyInput } from "./schemas.ts";

interface NewQueue {
  organization_id: string;
  branch_id?: string | null;
  service_id?: string | null;
}

type ServiceRecord = { organization_id: string; expected_duration_minutes: number };

/** The policy the queue starts with; 400 naming the field when a reference is not the organisation's. */
export async function plannedPolicy(ctx: Context, queue: NewQueue, policy: PolicyInput | undefined): Promise<PolicyInput | undefined> {
  if (queue.branch_id) {
    const branch = await ctx.call<{ organization_id: string } | null, { id: string }>("business.branches.byId", { id: queue.branch_id });
    if (branch?.organization_id !== queue.organization_id) throw errors.validation([{ path: "body.branch_id", message: "no such branch in this organisation" }]);
  } else if (!(await ctx.call<boolean, { id: string }>("business.organizations.exists", { id: queue.organization_id }))) {
    throw errors.validation([{ path: "body.organization_id", message: "no such organisation" }]);
  }
  if (!queue.service_id) return policy;
  const service = await ctx.call<ServiceRecord | null, { id: string }>("business.services.byId", { id: queue.service_id });
  if (service?.organization_id !== queue.organization_id) throw errors.validation([{ path: "body.service_id", message: "no such service in this organisation" }]);
  return withExpectedDuration(policy, service.expected_duration_minutes);
}

/** The queue's own service time if it has one, else the service's expected duration. */
const withExpectedDuration = (policy: PolicyInput | undefined, minutes: number): PolicyInput =>
  policy?.default_service_minutes === undefined ? { ...policy, default_service_minutes: minutes } : policy;
