// Request shapes of the business service: they validate, type the handlers and feed
// OpenAPI. Defaults are applied on creation (organizations.ts and friends), not here,
// so that a partial update never resets a field it did not name.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { IdParams, ObjectIdString } from "../../mixins/api/schemas.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { Holidays, OpeningHours, TimeZone } from "./opening-hours.ts";
import { ORGANIZATION_TYPES } from "./store.ts";

const Name = z.string().trim().min(1).max(200);
const Text = z.string().trim().max(2000);
const Flag = z.enum(["true", "false"]).transform((v) => v === "true");

const organizationFields = {
  name: Name,
  type: z.enum(ORGANIZATION_TYPES),
  description: Text,
  phone: z.string().trim().max(32).nullable(),
  email: z.email().max(254).nullable(),
  website: z.url().max(500).nullable(),
  is_active: z.boolean(),
};

const branchFields = {
  organization_id: ObjectIdString,
  name: Name,
  address: z.string().trim().max(500),
  commune: z.string().trim().max(100),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  opening_hours: OpeningHours,
  holidays: Holidays,
  time_zone: TimeZone,
  is_active: z.boolean(),
};

const serviceFields = {
  organization_id: ObjectIdString,
  branch_id: ObjectIdString.nullable(),
  name_fr: Name,
  name_en: z.string().trim().max(200),
  description_fr: Text,
  description_en: Text,
  expected_duration_minutes: z.number().int().min(1).max(480),
  appointments_enabled: z.boolean(),
  slot_minutes: z.number().int().min(5).max(480),
  slot_capacity: z.number().int().min(1).max(1000),
  booking_cutoff_minutes: z.number().int().min(0).max(7 * 24 * 60),
  opening_hours: OpeningHours.nullable(),
  fee_xof: z.number().int().min(0).max(10_000_000),
  /** Paid when an appointment is booked (services/payments); 0: none. */
  deposit_xof: z.number().int().min(0).max(10_000_000),
  is_active: z.boolean(),
};

/** Create: the named fields are required, the rest optional. Update: all optional, and
 * the owning organisation cannot be changed. */
function createAndUpdate<F extends z.ZodRawShape, R extends keyof F>(fields: F, required: readonly R[]) {
  const mandatory = Object.fromEntries(required.map((k) => [k, fields[k]])) as Pick<F, R>;
  const body = z.object(fields).partial().extend(mandatory).strict();
  const { organization_id: _fixed, ...changeable } = fields;
  return {
    Create: restInput({ body }),
    Update: restInput({ params: IdParams, body: z.object(changeable).partial().strict() }),
  };
}

const orgs = createAndUpdate(organizationFields, ["name", "type"]);
export const CreateOrganization = orgs.Create;
export const UpdateOrganization = orgs.Update;
export const ListOrganizations = restInput({
  query: listQuery(["name", "created_at", "type"], { type: z.enum(ORGANIZATION_TYPES).optional(), is_active: Flag.optional() }),
});

const branches = createAndUpdate(branchFields, ["organization_id", "name"]);
export const CreateBranch = branches.Create;
export const UpdateBranch = branches.Update;
export const ListBranches = restInput({
  query: listQuery(["name", "commune", "created_at"], { organization_id: ObjectIdString.optional(), commune: z.string().max(100).optional() }),
});

const services = createAndUpdate(serviceFields, ["organization_id", "name_fr", "expected_duration_minutes"]);
export const CreateService = services.Create;
export const UpdateService = services.Update;
const serviceFilters = {
  branch_id: ObjectIdString.optional(),
  appointments_enabled: Flag.optional(),
  is_active: Flag.optional(),
};
const serviceOrdering = ["name_fr", "name_en", "created_at", "fee_xof", "expected_duration_minutes"];
const servicesQuery = listQuery(serviceOrdering, { organization_id: ObjectIdString.optional(), ...serviceFilters });
export const ListServices = restInput({ query: servicesQuery });
export type ServicesQuery = z.output<typeof servicesQuery>;
const organizationServicesQuery = listQuery(serviceOrdering, serviceFilters);
export const ListOrganizationServices = restInput({ params: IdParams, query: organizationServicesQuery });
/** Internal: a page of one organisation's services, for the route above. */
export const OrganizationServicesPage = z.object({ organization_id: z.string().max(64), query: organizationServicesQuery });

export const ById = restInput({ params: IdParams });
export const Analytics = restInput({ query: z.object({ organization_id: ObjectIdString.optional() }).strict() });

/** Internal lookups for other services. */
export const InternalId = z.object({ id: z.string().max(64) });
/** Internal: how many branches or services there are, e.g. pointing at a record being deleted. */
export const BranchCount = z.object({ organization_id: z.string().max(64).optional() }).strict();
export type BranchCountFilter = z.input<typeof BranchCount>;
export const ServiceCount = BranchCount.extend({ branch_id: z.string().max(64).optional(), appointments_enabled: z.boolean().optional() }).strict();
export type ServiceCountFilter = z.input<typeof ServiceCount>;
export const Located = z.object({}).strict();

export type OrganizationChanges = z.output<typeof UpdateOrganization>["body"];
export type BranchInput = z.output<typeof CreateBranch>["body"];
export type BranchChanges = z.output<typeof UpdateBranch>["body"];
export type ServiceInput = z.output<typeof CreateService>["body"];
export type ServiceChanges = z.output<typeof UpdateService>["body"];
