// Appointment set-up for the benches of the booking side (available-slots.ts,
// my-appointments.ts): not part of the sequence the k6 scripts share, so not in the
// catalogue (public-api.ts) that fixtures.ts keeps to.
import { sleep } from "./rig.ts";
import { api } from "./system-under-test.ts";
import type { Office } from "./fixtures.ts";

/** An appointment service of the office's branch, 30-minute slots of `capacity` places: its id. The scheduler writes its slots behind its creation. */
export async function anAppointmentService(baseUrl: string, office: Office, name: string, capacity: number): Promise<string> {
  const service = { organization_id: office.organizationId, branch_id: office.branchId, name_fr: name, name_en: name, expected_duration_minutes: 10, appointments_enabled: true, slot_minutes: 30, slot_capacity: capacity };
  return (await api(baseUrl, "POST", "/api/business/services/", service, office.admin)).id;
}

/** The first `count` slots with room of the service over the next 14 days, waiting for the scheduler to have written them. */
export async function slotsAhead(baseUrl: string, serviceId: string, token: string, count: number): Promise<Array<{ id: string; date: string }>> {
  for (;;) {
    const found: Array<{ id: string; date: string }> = [];
    for (let d = 1; d <= 14 && found.length < count; d++) {
      const date = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const slots: Array<{ id: string }> = await api(baseUrl, "GET", `/api/appointments/available-slots/?service_id=${serviceId}&date=${date}`, undefined, token);
      found.push(...slots.slice(0, count - found.length).map(({ id }) => ({ id, date })));
    }
    if (found.length === count) return found;
    await sleep(500);
  }
}
