// The booking page as the office's past slots pile up: citizens read a service's available
// slots of a day (GET /api/appointments/available-slots/), 2 clients back to back; then the
// slots collection gets `others` past slots of 100 other services (and their booked seats,
// one slot in two), written with insertMany as a year of a busy office leaves them, and the
// same reads run again. Each side is read for `rounds` rounds of 4 s. The node and the
// database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:available-slots -- [others=200000] [rounds=3]
import { MongoClient, ObjectId } from "mongodb";
import { anAppointmentService, slotsAhead } from "./lib/appointment-fixtures.ts";
import { anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { seedInBatches, readsBesideOthers } from "./lib/read-rounds.ts";
import { api, withSystemAndClient } from "./lib/system-under-test.ts";
import { slotKey } from "../services/appointments/slots/key.ts";

const OTHER_SERVICES = 100;
const BATCH = 1000;
const SLOT_MS = 30 * 60_000;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] available slots: ${line}`);

export async function availableSlotsOnce(others: number, rounds = 3) {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Mairie des rendez-vous");
    const serviceId = await anAppointmentService(baseUrl, office, "État civil", 2);
    const [reader] = await citizens(baseUrl, 1);
    const [{ date }] = await slotsAhead(baseUrl, serviceId, reader!, 1);
    const path = `/api/appointments/available-slots/?service_id=${serviceId}&date=${date}`;
    const read = () => api(baseUrl, "GET", path, undefined, reader);
    const seed = () => seedPastSlots(client, others);
    return {
      scenario: "a service's available slots of a day",
      slots_of_the_day: (await api(baseUrl, "GET", path, undefined, reader)).length as number,
      other_slots: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} past slots of other services`)),
    };
  });
}

/** Past slots of other services, keyed as the appointments service keys them, one in two with a booked seat. */
async function seedPastSlots(client: MongoClient, count: number): Promise<void> {
  const services = Array.from({ length: OTHER_SERVICES }, () => new ObjectId().toHexString());
  const organization = new ObjectId().toHexString();
  const slots = client.db().collection<{ _id: string }>("appointment_slots");
  const seats = client.db().collection<{ _id: string }>("slot_seats");
  const firstStart = Date.now() - Math.ceil(count / OTHER_SERVICES) * SLOT_MS - 86_400_000;
  await seedInBatches(count, BATCH, 50_000, log, async (from, n) => {
    const batch = Array.from({ length: n }, (_, i) => {
      const serviceId = services[(from + i) % OTHER_SERVICES]!;
      const startsAt = new Date(firstStart + Math.floor((from + i) / OTHER_SERVICES) * SLOT_MS);
      return { _id: slotKey(serviceId, startsAt), service_id: serviceId, branch_id: null, organization_id: organization, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + SLOT_MS), capacity: 2 };
    });
    await slots.insertMany(batch, { ordered: false });
    const booked = batch.filter((_, i) => (from + i) % 2 === 0).map((slot) => ({ _id: `${slot._id}#0`, slot_id: slot._id, appointment_id: new ObjectId().toHexString() }));
    if (booked.length) await seats.insertMany(booked, { ordered: false });
  });
}

runAsScript(import.meta.url, () => availableSlotsOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3)));
