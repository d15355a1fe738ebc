// business.organizations: the organisations (banks, hospitals, town halls…) on the platform.
import type { Service, ServiceSchema } from "moleculer";
import { currentUser, requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { definedOnly } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { BY_ID_CACHE, dbMixin, entityOf } from "../../mixins/db.mixin.ts";
import type { NodeDeps } from "../node-deps.ts";
import { checkAdminOf, refuseIfReferenced } from "./records.ts";
import * as S from "./schemas.ts";
import { organizationsModel, type OrganizationDoc } from "./store.ts";

const organizations = (service: Service) => entityOf<OrganizationDoc>(service);

export default function organizationsService({ db }: NodeDeps): ServiceSchema {
  const model = organizationsModel(db);
  return {
    name: "business.organizations",
    mixins: [dbMixin(model, { what: "organisation", list: { searchFields: ["name", "description"], defaultOrdering: "name" } })],
    settings: { rest: "/business/organizations" },
    actions: {
      listOrganizations: {
        rest: "GET /",
        handler: validated(S.ListOrganizations, async function (ctx) {
          currentUser(ctx);
          const { type, is_active, ...page } = ctx.params.query;
          return organizations(this).page(ctx, definedOnly({ type, is_active }), page);
        }),
      },
      createOrganization: {
        rest: "POST /",
        handler: validated(S.CreateOrganization, async function (ctx) {
          requireRole(ctx, ["platform_admin"], "create organisations");
          const org = await organizations(this).saved(ctx, new model(ctx.params.body));
          return created(ctx, `/api/business/organizations/${org.id}/`, org);
        }),
      },
      getOrganization: {
        rest: "GET /:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return organizations(this).wireOr404(ctx.params.params.id);
        }),
      },
      updateOrganization: {
        rest: "PUT /:id",
        handler: validated(S.UpdateOrganization, async function (ctx) {
          const org = await organizations(this).docOr404(ctx.params.params.id);
          checkAdminOf(currentUser(ctx), String(org._id), "change this organisation");
          org.set(ctx.params.body);
          return organizations(this).saved(ctx, org);
        }),
      },
      deleteOrganization: {
        rest: "DELETE /:id",
        handler: validated(S.ById, async function (ctx) {
          requireRole(ctx, ["platform_admin"], "delete organisations");
          const org = await organizations(this).docOr404(ctx.params.params.id);
          const of = { organization_id: String(org._id) };
          const [branches, services] = await Promise.all([
            ctx.call<number, S.BranchCountFilter>("business.branches.countOf", of),
            ctx.call<number, S.ServiceCountFilter>("business.services.countOf", of),
          ]);
          refuseIfReferenced([[branches, "branches"], [services, "services"]], "organisation");
          const staff = await ctx.call<number, { organization_id: string }>("accounts.countStaff", of);
          if (staff > 0) throw errors.conflict(`This organisation still has ${staff} staff accounts; delete or move them first.`, { staff });
          await organizations(this).removed(ctx, org);
          return noContent(ctx);
        }),
      },
      listOrganizationServices: {
        rest: "GET /:id/services",
        handler: validated(S.ListOrganizationServices, async function (ctx) {
          currentUser(ctx);
          const org = await organizations(this).wireOr404(ctx.params.params.id);
          return ctx.call("business.services.pageOf", { organization_id: org.id, query: ctx.params.query });
        }),
      },

      // Internal actions (no REST route).
      exists: {
        visibility: "public",
        cache: BY_ID_CACHE,
        handler: validated(S.InternalId, async function (ctx) {
          return (await organizations(this).byId(ctx.params.id)) !== null;
        }),
      },
      /** For the platform's dashboard. */
      counts: {
        visibility: "public",
        async handler() {
          const [total, active, byType] = await Promise.all([
            model.countDocuments({}),
            model.countDocuments({ is_active: true }),
            model.aggregate<{ _id: string; count: number }>([{ $group: { _id: "$type", count: { $sum: 1 } } }]),
          ]);
          return { organizations: total, active_organizations: active, organizations_by_type: Object.fromEntries(byType.map((t) => [t._id, t.count])) };
        },
      },
    },
  };
}
