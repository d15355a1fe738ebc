// Appointment set-up for the benches of the booking side (available-slots.ts,
// my-appointments.ts, staff-appointments.ts): not part of the sequence the k6 scripts
// share, so not in the catalogue (public-api.ts) that fixtures.ts keeps to.
import { ObjectId, type MongoClient } from "mongodb";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { organizationRowId } from "../../services/appointments/organization-appointments.ts";
import { slotKey } from "../../services/appointments/slots/key.ts";
import { seedInBatches } from "./read-rounds.ts";
import { sleep } from "./rig.ts";
import { api } from "./system-under-test.ts";
import type { Office } from "./fixtures.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAST_DAYS = 400;
const PAST_CITIZENS = 10_000;
const BATCH = 1000;

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

/**
 * `count` appointments of 10,000 citizens in the service, checked in over the 400 days
 * before today (UTC; on the hour, spread evenly), as booking writes them: each with its citizen's row and its
 * organisation's (services/appointments/citizen-appointments.ts, organization-appointments.ts).
 */
export async function seedPastAppointments(client: MongoClient, count: number, organizationId: string, serviceId: string, log: (line: string) => void): Promise<void> {
  const users = Array.from({ length: PAST_CITIZENS }, () => new ObjectId().toHexString());
  const db = client.db();
  const [appointments, citizenRows, organizationRows] = ["appointments", "citizen_appointments", "organization_appointments"].map((name) => db.collection<{ _id: string }>(name));
  const today = Date.now() - (Date.now() % DAY);
  const firstStart = today - PAST_DAYS * DAY;
  await seedInBatches(count, BATCH, 50_000, log, async (from, n) => {
    const docs = Array.from({ length: n }, (_, i) => {
      const user = users[(from + i) % users.length]!;
      const startsAt = new Date(firstStart + Math.floor(((from + i) * (today - firstStart)) / count / HOUR) * HOUR);
      const slot = slotKey(serviceId, startsAt);
      return { _id: new ObjectId().toHexString(), slot_id: slot, seat_id: `${slot}#${(from + i) % 4}`, service_id: serviceId, branch_id: null, organization_id: organizationId, user_id: user, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + HOUR), status: "checked_in", ticket_id: null, booked_by: user, changes: 0, created_at: startsAt, updated_at: startsAt };
    });
    await appointments!.insertMany(docs, { ordered: false });
    await citizenRows!.insertMany(docs.map((doc) => ({ _id: `${ownerPrefix(doc.user_id)}${doc._id}` })), { ordered: false });
    await organizationRows!.insertMany(docs.map((doc) => ({ _id: organizationRowId(organizationId, doc.starts_at, doc._id), service_id: serviceId, user_id: doc.user_id })), { ordered: false });
  });
}
