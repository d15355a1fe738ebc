// business.services: what an organisation offers at its counters (opening an account, a
// birth certificate…), with its duration, fee and appointment settings.
import type { Context, Service, ServiceSchema } from "moleculer";
import type { CallMeta } from "../../mixins/api/meta.ts";
import { currentUser } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { definedOnly } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { dbMixin, entityOf, type Wire } from "../../mixins/db.mixin.ts";
import { withId, type Stored } from "../../mixins/db/wire.ts";
import { emit } from "../events.ts";
import type { NodeDeps } from "../node-deps.ts";
import { serviceWithDefaults } from "./defaults.ts";
import { checkAdministered, checkAdministeredOrganization } from "./records.ts";
import * as S from "./schemas.ts";
import { servicesModel, type ServiceDoc } from "./store.ts";

const services = (service: Service) => entityOf<ServiceDoc>(service);

/** A page of services, for GET /services/ and an organisation's GET …/services/. */
function pageOfServices(service: Service, ctx: Context<unknown, CallMeta>, query: S.ServicesQuery) {
  const { organization_id, branch_id, appointments_enabled, is_active, ...page } = query;
  return services(service).page(ctx, definedOnly({ organization_id, branch_id, appointments_enabled, is_active }), page);
}

/** A service may sit in one branch, of its own organisation. */
async function checkBranchOf(ctx: Context, organizationId: string, branchId: string | null | undefined) {
  if (!branchId) return;
  const branch = await ctx.call<{ organization_id: string } | null, { id: string }>("business.branches.byId", { id: branchId });
  if (branch?.organization_id !== organizationId) throw errors.validation([{ path: "body.branch_id", message: "no such branch in this organisation" }]);
}

function serviceChanged(service: Wire<ServiceDoc>, ctx: Context) {
  emit(ctx, "business.service.changed", { id: service.id, organization_id: service.organization_id });
}

export default function offeredServicesService({ db }: NodeDeps): ServiceSchema {
  const model = servicesModel(db);
  return {
    name: "business.services",
    mixins: [dbMixin(model, { what: "service", countBy: S.ServiceCount, list: { searchFields: ["name_fr", "name_en", "description_fr", "description_en"], defaultOrdering: "name_fr" } })],
    settings: { rest: "/business/services" },
    actions: {
      listServices: {
        rest: "GET /",
        handler: validated(S.ListServices, async function (ctx) {
          currentUser(ctx);
          return pageOfServices(this, ctx, ctx.params.query);
        }),
      },
      createService: {
        rest: "POST /",
        handler: validated(S.CreateService, async function (ctx) {
          const body = ctx.params.body;
          await checkAdministeredOrganization(ctx, body.organization_id, "add services to this organisation");
          await checkBranchOf(ctx, body.organization_id, body.branch_id);
          const service = await services(this).saved(ctx, new model(serviceWithDefaults(body)));
          return created(ctx, `/api/business/services/${service.id}/`, service);
        }),
      },
      getService: {
        rest: "GET /:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return services(this).wireOr404(ctx.params.params.id);
        }),
      },
      updateService: {
        rest: "PUT /:id",
        handler: validated(S.UpdateService, async function (ctx) {
          const service = checkAdministered(ctx, await services(this).docOr404(ctx.params.params.id), "service", "change");
          await checkBranchOf(ctx, service.organization_id, ctx.params.body.branch_id);
          service.set(ctx.params.body);
          return services(this).saved(ctx, service);
        }),
      },
      deleteService: {
        rest: "DELETE /:id",
        handler: validated(S.ById, async function (ctx) {
          const service = checkAdministered(ctx, await services(this).docOr404(ctx.params.params.id), "service", "delete");
          await services(this).removed(ctx, service);
          return noContent(ctx);
        }),
      },

      // Internal actions (no REST route); byId and countOf come from the db mixin.
      /** An organisation's services, a page of them (GET /organizations/:id/services). */
      pageOf: {
        visibility: "public",
        handler: validated(S.OrganizationServicesPage, async function (ctx) {
          return pageOfServices(this, ctx, { ...ctx.params.query, organization_id: ctx.params.organization_id });
        }),
      },
      /** For locations (nearby services): every active service, named, with where it is offered. */
      offered: {
        visibility: "public",
        cache: { ttl: 60 },
        handler: validated(S.Located, async () =>
          (await model.find({ is_active: true }).lean<Stored<ServiceDoc>[]>()).map(({ _id, organization_id, branch_id, name_fr, name_en }) => ({
            id: String(_id), organization_id, branch_id, name_fr, name_en,
          })),
        ),
      },
      /** For slot generation: every active service that takes appointments. */
      forAppointments: {
        visibility: "public",
        async handler() {
          return (await model.find({ appointments_enabled: true, is_active: true }).lean<Stored<ServiceDoc>[]>()).map((doc) => withId(doc));
        },
      },
    },
    /** moleculer-db's hooks: appointments generate a new service's slots, and regenerate a changed one's. */
    entityCreated: serviceChanged,
    entityUpdated: serviceChanged,
  };
}
