// services/business: the dashboard's counts over organisations, branches and services,
// and the organisation's (or the platform's) activity as analytics counts it.
// The records themselves are the entity services beside this one (organizations, branches,
// offered-services), each on the db mixin.
import type { Context, ServiceSchema } from "moleculer";
import { requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { validated } from "../../mixins/api/validated.ts";
import * as S from "./schemas.ts";

const ACTIVITY_DAYS = 7;

/** Today's and the last days' tickets, from analytics' rollups: the numbers its dashboard shows. */
async function activity(ctx: Context, organizationId: string | null) {
  const today = new Date().toISOString().slice(0, 10);
  type Week = { date_from: string; totals: object; results: Array<{ start: string }> };
  const week = await ctx.call<Week, object>("analytics.figures", { organization_id: organizationId, date_to: today, days: ACTIVITY_DAYS });
  const { start: _, ...todays } = week.results.at(-1)!;
  return { today: { day: today, ...todays }, last_7_days: { date_from: week.date_from, date_to: today, ...week.totals } };
}

export default function businessService(): ServiceSchema {
  return {
    name: "business",
    settings: { rest: "/business" },
    actions: {
      analytics: {
        rest: "GET /analytics",
        handler: validated(S.Analytics, async function (ctx) {
          const actor = requireRole(ctx, ["org_admin", "platform_admin"], "see analytics");
          const organizationId = actor.role === "org_admin" ? actor.organization_id! : ctx.params.query.organization_id;
          if (actor.role === "org_admin" && ctx.params.query.organization_id && ctx.params.query.organization_id !== organizationId) {
            throw errors.forbidden("see another organisation's analytics");
          }
          const scope = organizationId ? { organization_id: organizationId } : {};
          const countServices = (filter: S.ServiceCountFilter = {}) => ctx.call<number, S.ServiceCountFilter>("business.services.countOf", { ...scope, ...filter });
          const [staff, branches, services, withAppointments, organizations, figures] = await Promise.all([
            ctx.call<number, { organization_id?: string }>("accounts.countStaff", scope),
            ctx.call<number, S.BranchCountFilter>("business.branches.countOf", scope),
            countServices(),
            countServices({ appointments_enabled: true }),
            organizationId ? null : ctx.call<Record<string, unknown>>("business.organizations.counts"),
            activity(ctx, organizationId ?? null),
          ]);
          const totals = { branches, services, services_with_appointments: withAppointments, activity: figures };
          return organizationId ? { organization_id: organizationId, ...totals, staff } : { ...organizations, ...totals, staff };
        }),
      },
    },
  };
}
