// business.branches: an organisation's sites, with their opening hours and holidays.
import type { Context, Service, ServiceSchema } from "moleculer";
import { currentUser } from "../../mixins/api/authorize.ts";
import { definedOnly } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { dbMixin, entityOf, type Wire } from "../../mixins/db.mixin.ts";
import type { Stored } from "../../mixins/db/wire.ts";
import { emit } from "../events.ts";
import type { NodeDeps } from "../node-deps.ts";
import { branchWithDefaults } from "./defaults.ts";
import { checkAdministered, checkAdministeredOrganization, refuseIfReferenced } from "./records.ts";
import * as S from "./schemas.ts";
import { branchesModel, type BranchDoc } from "./store.ts";

const branches = (service: Service) => entityOf<BranchDoc>(service);

export default function branchesService({ db }: NodeDeps): ServiceSchema {
  const model = branchesModel(db);
  return {
    name: "business.branches",
    mixins: [dbMixin(model, { what: "branch", countBy: S.BranchCount, list: { searchFields: ["name", "address", "commune"], defaultOrdering: "name" } })],
    settings: { rest: "/business/branches" },
    actions: {
      listBranches: {
        rest: "GET /",
        handler: validated(S.ListBranches, async function (ctx) {
          currentUser(ctx);
          const { organization_id, commune, ...page } = ctx.params.query;
          return branches(this).page(ctx, definedOnly({ organization_id, commune }), page);
        }),
      },
      createBranch: {
        rest: "POST /",
        handler: validated(S.CreateBranch, async function (ctx) {
          const body = ctx.params.body;
          await checkAdministeredOrganization(ctx, body.organization_id, "add branches to this organisation");
          const branch = await branches(this).saved(ctx, new model(branchWithDefaults(body)));
          return created(ctx, `/api/business/branches/${branch.id}/`, branch);
        }),
      },
      getBranch: {
        rest: "GET /:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return branches(this).wireOr404(ctx.params.params.id);
        }),
      },
      updateBranch: {
        rest: "PUT /:id",
        handler: validated(S.UpdateBranch, async function (ctx) {
          const branch = checkAdministered(ctx, await branches(this).docOr404(ctx.params.params.id), "branch", "change");
          branch.set(ctx.params.body);
          return branches(this).saved(ctx, branch);
        }),
      },
      deleteBranch: {
        rest: "DELETE /:id",
        handler: validated(S.ById, async function (ctx) {
          const branch = checkAdministered(ctx, await branches(this).docOr404(ctx.params.params.id), "branch", "delete");
          const services = await ctx.call<number, S.ServiceCountFilter>("business.services.countOf", { branch_id: String(branch._id) });
          refuseIfReferenced([[services, "services"]], "branch");
          await branches(this).removed(ctx, branch);
          return noContent(ctx);
        }),
      },
      // Internal: byId and countOf come from the db mixin.
      /** Internal, for locations (geocoding, nearby services): every active branch with its address and position. */
      located: {
        visibility: "public",
        cache: { ttl: 60 },
        handler: validated(S.Located, async () =>
          (await model.find({ is_active: true }).lean<Stored<BranchDoc>[]>()).map(({ _id, organization_id, name, address, commune, latitude, longitude }) => ({
            id: String(_id), organization_id, name, address, commune, latitude, longitude,
          })),
        ),
      },
    },
    /** moleculer-db's hook: appointments regenerate the branch's slots. */
    entityUpdated(branch: Wire<BranchDoc>, ctx: Context) {
      emit(ctx, "business.branch.changed", { id: branch.id, organization_id: branch.organization_id });
    },
  };
}
