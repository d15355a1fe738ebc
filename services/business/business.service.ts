// services/business: organisations, their branches (sites) and the services they offer.
import type { Context, ServiceSchema } from "moleculer";
import { currentUser, requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { definedOnly, paginate } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { organizationCounts, platformCounts } from "./analytics.ts";
import { branchWithDefaults, serviceWithDefaults } from "./defaults.ts";
import { administeredRecord, checkAdminOf, findOr404, findWire, refuseIfReferenced, saveAndAnnounce, toWire, wireOf } from "./records.ts";
import * as S from "./schemas.ts";
import { businessStore, ensureBusinessIndexes } from "./store.ts";

const path = (resource: string, id: unknown) => `/api/business/${resource}/${String(id)}/`;
const SERVICE_LIST = { searchFields: ["name_fr", "name_en", "description_fr", "description_en"], defaultOrdering: "name_fr" };

export default function businessService({ db }: NodeDeps): ServiceSchema {
  const store = businessStore(db);

  /** The organisation a new record is for: must exist, and the caller must administer it. */
  async function administeredOrganization(ctx: Context<unknown, CallMeta>, organizationId: string, what: string) {
    checkAdminOf(currentUser(ctx), organizationId, what);
    if (!(await store.organizations.exists({ _id: organizationId }))) {
      throw errors.validation([{ path: "body.organization_id", message: "no such organisation" }]);
    }
  }

  /** A service may sit in one branch, of its own organisation. */
  async function checkBranchOf(organizationId: string, branchId: string | null | undefined) {
    if (!branchId) return;
    if (!(await store.branches.exists({ _id: branchId, organization_id: organizationId }))) {
      throw errors.validation([{ path: "body.branch_id", message: "no such branch in this organisation" }]);
    }
  }


  return {
    name: "business",
    settings: { rest: "/business" },
    actions: {
      listOrganizations: {
        rest: "GET /organizations",
        handler: validated(S.ListOrganizations, async function (ctx) {
          currentUser(ctx);
          const { type, is_active, ...page } = ctx.params.query;
          return paginate(ctx, store.organizations, definedOnly({ type, is_active }), page, { searchFields: ["name", "description"], defaultOrdering: "name" }, toWire);
        }),
      },
      createOrganization: {
        rest: "POST /organizations",
        handler: validated(S.CreateOrganization, async function (ctx) {
          requireRole(ctx, ["platform_admin"], "create organisations");
          const org = wireOf(await store.organizations.create(ctx.params.body));
          return created(ctx, path("organizations", org.id), org);
        }),
      },
      getOrganization: {
        rest: "GET /organizations/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return wireOf(await findOr404(store.organizations, ctx.params.params.id, "organisation"));
        }),
      },
      updateOrganization: {
        rest: "PUT /organizations/:id",
        handler: validated(S.UpdateOrganization, async function (ctx) {
          const org = await findOr404(store.organizations, ctx.params.params.id, "organisation");
          checkAdminOf(currentUser(ctx), String(org._id), "change this organisation");
          org.set(ctx.params.body);
          return wireOf(await org.save());
        }),
      },
      deleteOrganization: {
        rest: "DELETE /organizations/:id",
        handler: validated(S.ById, async function (ctx) {
          requireRole(ctx, ["platform_admin"], "delete organisations");
          const org = await findOr404(store.organizations, ctx.params.params.id, "organisation");
          const id = String(org._id);
          await refuseIfReferenced(
            [
              [store.branches, { organization_id: id }, "branches"],
              [store.services, { organization_id: id }, "services"],
            ],
            "organisation",
          );
          const staff = await ctx.call<number, { organization_id: string }>("accounts.countStaff", { organization_id: id });
          if (staff > 0) throw errors.conflict(`This organisation still has ${staff} staff accounts; delete or move them first.`, { staff });
          await org.deleteOne();
          return noContent(ctx);
        }),
      },
      listOrganizationServices: {
        rest: "GET /organizations/:id/services",
        handler: validated(S.ListOrganizationServices, async function (ctx) {
          currentUser(ctx);
          const org = await findOr404(store.organizations, ctx.params.params.id, "organisation");
          const { branch_id, appointments_enabled, is_active, ...page } = ctx.params.query;
          const filter = definedOnly({ organization_id: String(org._id), branch_id, appointments_enabled, is_active });
          return paginate(ctx, store.services, filter, page, SERVICE_LIST, toWire);
        }),
      },

      listBranches: {
        rest: "GET /branches",
        handler: validated(S.ListBranches, async function (ctx) {
          currentUser(ctx);
          const { organization_id, commune, ...page } = ctx.params.query;
          return paginate(ctx, store.branches, definedOnly({ organization_id, commune }), page, { searchFields: ["name", "address", "commune"], defaultOrdering: "name" }, toWire);
        }),
      },
      createBranch: {
        rest: "POST /branches",
        handler: validated(S.CreateBranch, async function (ctx) {
          const body = ctx.params.body;
          await administeredOrganization(ctx, body.organization_id, "add branches to this organisation");
          const branch = wireOf(await store.branches.create(branchWithDefaults(body)));
          return created(ctx, path("branches", branch.id), branch);
        }),
      },
      getBranch: {
        rest: "GET /branches/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return wireOf(await findOr404(store.branches, ctx.params.params.id, "branch"));
        }),
      },
      updateBranch: {
        rest: "PUT /branches/:id",
        handler: validated(S.UpdateBranch, async function (ctx) {
          const branch = await administeredRecord(ctx, store.branches, ctx.params.params.id, "branch", "change");
          branch.set(ctx.params.body);
          return saveAndAnnounce(ctx, branch, "business.branch.changed");
        }),
      },
      deleteBranch: {
        rest: "DELETE /branches/:id",
        handler: validated(S.ById, async function (ctx) {
          const branch = await administeredRecord(ctx, store.branches, ctx.params.params.id, "branch", "delete");
          await refuseIfReferenced([[store.services, { branch_id: String(branch._id) }, "services"]], "branch");
          await branch.deleteOne();
          return noContent(ctx);
        }),
      },

      listServices: {
        rest: "GET /services",
        handler: validated(S.ListServices, async function (ctx) {
          currentUser(ctx);
          const { organization_id, branch_id, appointments_enabled, is_active, ...page } = ctx.params.query;
          const filter = definedOnly({ organization_id, branch_id, appointments_enabled, is_active });
          return paginate(ctx, store.services, filter, page, SERVICE_LIST, toWire);
        }),
      },
      createService: {
        rest: "POST /services",
        handler: validated(S.CreateService, async function (ctx) {
          const body = ctx.params.body;
          await administeredOrganization(ctx, body.organization_id, "add services to this organisation");
          await checkBranchOf(body.organization_id, body.branch_id);
          const service = wireOf(await store.services.create(serviceWithDefaults(body)));
          return created(ctx, path("services", service.id), service);
        }),
      },
      getService: {
        rest: "GET /services/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return wireOf(await findOr404(store.services, ctx.params.params.id, "service"));
        }),
      },
      updateService: {
        rest: "PUT /services/:id",
        handler: validated(S.UpdateService, async function (ctx) {
          const service = await administeredRecord(ctx, store.services, ctx.params.params.id, "service", "change");
          await checkBranchOf(service.organization_id, ctx.params.body.branch_id);
          service.set(ctx.params.body);
          return saveAndAnnounce(ctx, service, "business.service.changed");
        }),
      },
      deleteService: {
        rest: "DELETE /services/:id",
        handler: validated(S.ById, async function (ctx) {
          const service = await administeredRecord(ctx, store.services, ctx.params.params.id, "service", "delete");
          await service.deleteOne();
          return noContent(ctx);
        }),
      },

      analytics: {
        rest: "GET /analytics",
        handler: validated(S.Analytics, async function (ctx) {
          const actor = requireRole(ctx, ["org_admin", "platform_admin"], "see analytics");
          const organizationId = actor.role === "org_admin" ? actor.organization_id! : ctx.params.query.organization_id;
          if (actor.role === "org_admin" && ctx.params.query.organization_id && ctx.params.query.organization_id !== organizationId) {
            throw errors.forbidden("see another organisation's analytics");
          }
          const staff = await ctx.call<number, { organization_id?: string }>("accounts.countStaff", organizationId ? { organization_id: organizationId } : {});
          const counts = organizationId ? await organizationCounts(store, organizationId) : await platformCounts(store);
          return { ...counts, staff };
        }),
      },

      // Internal actions (no REST route).
      organizationExists: {
        visibility: "public",
        handler: validated(S.InternalId, async function (ctx) {
          return (await findWire(store.organizations, ctx.params.id)) !== null;
        }),
      },
      branchById: {
        visibility: "public",
        handler: validated(S.InternalId, async function (ctx) {
          return findWire(store.branches, ctx.params.id);
        }),
      },
      serviceById: {
        visibility: "public",
        handler: validated(S.InternalId, async function (ctx) {
          return findWire(store.services, ctx.params.id);
        }),
      },
      /** For slot generation: every active service that takes appointments. */
      appointmentServices: {
        visibility: "public",
        async handler() {
          return (await store.services.find({ appointments_enabled: true, is_active: true }).lean()).map((doc) => toWire(doc));
        },
      },
    },
    async started() {
      await ensureBusinessIndexes(store);
    },
  };
}
