// A citizen's appointments as the offices' bookings pile up: citizens read "my
// appointments" (GET /api/appointments/my-appointments/), 2 clients back to back; then the
// appointments collection gets `others` appointments of 10,000 other citizens (with their
// rows, lib/appointment-fixtures.ts), written with insertMany
// as a year of a network of branches leaves them, and the same reads run again. Each side
// is read for `rounds` rounds of 4 s. The node and the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:my-appointments -- [others=200000] [rounds=3]
import { anAppointmentService, seedPastAppointments, slotsAhead } from "./lib/appointment-fixtures.ts";
import { anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { readsBesideOthers } from "./lib/read-rounds.ts";
import { api, withSystemAndClient } from "./lib/system-under-test.ts";

const READERS = 4;
const APPOINTMENTS_PER_READER = 5;

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
    const seed = () => seedPastAppointments(client, others, office.organizationId, serviceId, log);
    return {
      scenario: "a citizen's appointments",
      appointments_per_reader: APPOINTMENTS_PER_READER,
      other_appointments: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} appointments of other citizens`)),
    };
  });
}

runAsScript(import.meta.url, () => myAppointmentsOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3)));
