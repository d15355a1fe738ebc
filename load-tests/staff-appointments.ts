// Staff's list of their organisation's appointments as its bookings pile up: an agent's
// list of the days ahead (GET /api/appointments/appointments/, its default window), 4
// clients back to back; then the organisation gets `others` past appointments of 10,000
// citizens (with their rows, lib/appointment-fixtures.ts), written with insertMany as a
// year of a network of branches leaves them, and the same reads run again. Each side is
// read for `rounds` rounds of 4 s. The node and the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:staff-appointments -- [others=200000] [rounds=3]
import { anAppointmentService, seedPastAppointments, slotsAhead } from "./lib/appointment-fixtures.ts";
import { anAgent, anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { readsBesideOthers } from "./lib/read-rounds.ts";
import { api, withSystemAndClient } from "./lib/system-under-test.ts";

/** Appointments ahead in the list: a page of them. */
const AHEAD = 20;
const PLACES = 4;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] staff appointments: ${line}`);

export async function staffAppointmentsOnce(others: number, rounds = 3) {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Hôpital des rendez-vous");
    const serviceId = await anAppointmentService(baseUrl, office, "Consultations", PLACES);
    const agent = await anAgent(baseUrl, office);
    const bookers = await citizens(baseUrl, PLACES);
    const slots = await slotsAhead(baseUrl, serviceId, bookers[0]!, AHEAD / PLACES);
    for (const slot of slots) for (const booker of bookers) await api(baseUrl, "POST", "/api/appointments/appointments/", { slot_id: slot.id }, booker);
    const read = () => api(baseUrl, "GET", "/api/appointments/appointments/", undefined, agent);
    const seed = () => seedPastAppointments(client, others, office.organizationId, serviceId, log);
    return {
      scenario: "an organisation's appointments, for its staff",
      appointments_ahead: AHEAD,
      past_appointments: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} past appointments of the organisation`)),
    };
  });
}

runAsScript(import.meta.url, () => staffAppointmentsOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3)));
