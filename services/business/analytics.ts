// business/analytics: counts for a dashboard, over everything (platform admin) or one
// organisation (its admin).
import type { BusinessStore } from "./store.ts";

export async function organizationCounts(store: BusinessStore, organizationId: string) {
  const filter = { organization_id: organizationId };
  const [branches, services, appointmentServices] = await Promise.all([
    store.branches.countDocuments(filter),
    store.services.countDocuments(filter),
    store.services.countDocuments({ ...filter, appointments_enabled: true }),
  ]);
  return { organization_id: organizationId, branches, services, services_with_appointments: appointmentServices };
}

export async function platformCounts(store: BusinessStore) {
  const [organizations, active, branches, services, appointmentServices, byType] = await Promise.all([
    store.organizations.countDocuments({}),
    store.organizations.countDocuments({ is_active: true }),
    store.branches.countDocuments({}),
    store.services.countDocuments({}),
    store.services.countDocuments({ appointments_enabled: true }),
    store.organizations.aggregate<{ _id: string; count: number }>([{ $group: { _id: "$type", count: { $sum: 1 } } }]),
  ]);
  return {
    organizations,
    active_organizations: active,
    organizations_by_type: Object.fromEntries(byType.map((t) => [t._id, t.count])),
    branches,
    services,
    services_with_appointments: appointmentServices,
  };
}
