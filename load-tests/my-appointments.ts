// A citizen's appointments as the offices' bookings pile up: citizens read "my
// appointments" (GET /api/appointments/my-appointments/), 2 clients back to back; then the
// appointments collection gets `others` appointments of 10,000 other citizens (with their
// citizens' rows, services/appointments/citizen-appointments.ts), written with insertMany
// as a year of a network of branches leaves them, and the same reads run again. Each side
// is read for `rounds` rounds of 4 s. The node and the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:my-appointments -- [others=200000] [rounds=3]
import { MongoClient, ObjectId } from "mongodb";
import { anAppointmentService, slotsAhead } from "./lib/appointment-fixtures.ts";
import { anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { seedInBatches, readsBesideOthers } from "./lib/read-rounds.ts";
import { api, withSystemAndClient } from "./lib/system-under-test.ts";
import { ownerPrefix } from "../mixins/db/owner-prefix.ts";
import { slotKey } from "../services/appointments/slots/key.ts";

const READERS = 4;
const APPOINTMENTS_PER_READER = 5;
const OTHER_CITIZENS = 10_000;
const BATCH = 1000;
const HOUR = 3_600_000;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] my appointments: ${line}`);

export async function myAppointmentsOnce(others: number, rounds = 3) {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Préfecture des rendez-vous");
    const serviceId = await anAppointmentService(baseUrl, office, "Passeports", READERS);
    const readers = await citizens(baseUrl, READERS);
    const slots = await slotsAhead(baseUrl, serviceId, readers[0]!, APPOINTMENTS_PER_READER);
    for (const slot of slots) for (const reader of readers) await api(baseUrl, "POST", "/api/appointments/appointments/", { slot_id: slot.id }, reader);
    let next = 0;
    const read = () => api(baseUrl, "GET", "/api/appointments/my-appointments/", undefined, readers[next++ % readers.length]);
    const seed = () => seedOthers(client, others, office.organizationId, serviceId);
    return {
      scenario: "a citizen's appointments",
      appointments_per_reader: APPOINTMENTS_PER_READER,
      other_appointments: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} appointments of other citizens`)),
    };
  });
}

/** Past appointments of other citizens in the service's organisation, as booking writes them, each with its citizen's row. */
async function seedOthers(client: MongoClient, count: number, organizationId: string, serviceId: string): Promise<void> {
  const users = Array.from({ length: OTHER_CITIZENS }, () => new ObjectId().toHexString());
  const appointments = client.db().collection<{ _id: string }>("appointments");
  const rows = client.db().collection<{ _id: string }>("citizen_appointments");
  const firstStart = Date.now() - 400 * 86_400_000;
  await seedInBatches(count, BATCH, 50_000, log, async (from, n) => {
    const docs = Array.from({ length: n }, (_, i) => {
      const user = users[(from + i) % users.length]!;
      const startsAt = new Date(firstStart + Math.floor((from + i) / 4) * HOUR);
      const slot = slotKey(serviceId, startsAt);
      return { _id: new ObjectId().toHexString(), slot_id: slot, seat_id: `${slot}#${(from + i) % 4}`, service_id: serviceId, branch_id: null, organization_id: organizationId, user_id: user, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + HOUR), status: "checked_in", ticket_id: null, booked_by: user, changes: 0, created_at: startsAt, updated_at: startsAt };
    });
    await appointments.insertMany(docs, { ordered: false });
    await rows.insertMany(docs.map((doc) => ({ _id: `${ownerPrefix(doc.user_id)}${doc._id}` })), { ordered: false });
  });
}

runAsScript(import.meta.url, () => myAppointmentsOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3)));
