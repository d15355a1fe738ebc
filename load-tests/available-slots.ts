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
import { anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript, sleep } from "./lib/rig.ts";
import { inBatches, readsBesideOthers } from "./lib/read-rounds.ts";
import { api, startSystemUnderTest } from "./lib/system-under-test.ts";
import { slotKey } from "../services/appointments/slots/key.ts";

const OTHER_SERVICES = 100;
const BATCH = 1000;
const SLOT_MS = 30 * 60_000;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] available slots: ${line}`);

export async function availableSlotsOnce(others: number, rounds = 3) {
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  const client = await new MongoClient(sut.mongoUrl).connect();
  try {
    const { baseUrl } = sut;
    const office = await anOffice(baseUrl, "Mairie des rendez-vous");
    const service = await api(baseUrl, "POST", "/api/business/services/", { organization_id: office.organizationId, branch_id: office.branchId, name_fr: "État civil", name_en: "Civil registry", expected_duration_minutes: 10, appointments_enabled: true, slot_minutes: 30, slot_capacity: 2 }, office.admin);
    const [reader] = await citizens(baseUrl, 1);
    // The scheduler keeps the service's window of slots; a weekday ahead has some.
    const date = await aDayWithSlots(baseUrl, service.id, reader!);
    const path = `/api/appointments/available-slots/?service_id=${service.id}&date=${date}`;
    const read = () => api(baseUrl, "GET", path, undefined, reader);
    const seed = () => seedPastSlots(client, others);
    return {
      scenario: "a service's available slots of a day",
      slots_of_the_day: (await api(baseUrl, "GET", path, undefined, reader)).length as number,
      other_slots: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} past slots of other services`)),
    };
  } finally {
    await client.close();
    await sut.stop();
  }
}

/** The first of the next 14 days on which the service has slots (the scheduler writes them behind its start). */
async function aDayWithSlots(baseUrl: string, serviceId: string, token: string): Promise<string> {
  for (;;) {
    for (let d = 1; d <= 14; d++) {
      const date = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const slots = await api(baseUrl, "GET", `/api/appointments/available-slots/?service_id=${serviceId}&date=${date}`, undefined, token);
      if (slots.length > 0) return date;
    }
    await sleep(500);
  }
}

/** Past slots of other services, keyed as the appointments service keys them, one in two with a booked seat. */
async function seedPastSlots(client: MongoClient, count: number): Promise<void> {
  const services = Array.from({ length: OTHER_SERVICES }, () => new ObjectId().toHexString());
  const organization = new ObjectId().toHexString();
  const slots = client.db().collection<{ _id: string }>("appointment_slots");
  const seats = client.db().collection<{ _id: string }>("slot_seats");
  const firstStart = Date.now() - Math.ceil(count / OTHER_SERVICES) * SLOT_MS - 86_400_000;
  await inBatches(count, BATCH, 50_000, log, async (from, n) => {
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
