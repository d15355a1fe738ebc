// What the load scripts set up through the REST API before they measure: an organisation
// (with a branch when screens are involved), an agent, citizens.
import { createAgent, createBranch, createCounter, createDisplayToken, createOrganization, createQueue, registerCitizen, signIn } from "./public-api.ts";
import { ADMIN, api, send } from "./system-under-test.ts";
import { sleep } from "./rig.ts";
import { mapLimited } from "../../mixins/db/limited.ts";

const PASSWORD = "passw0rd-load";

export interface Office {
  /** The platform admin's access token. */
  admin: string;
  organizationId: string;
  branchId: string;
}

/** An organisation with one branch, created by the platform admin. */
export async function anOffice(baseUrl: string, name: string, type = "bank"): Promise<Office> {
  const admin = (await send(baseUrl, signIn(ADMIN.phone, ADMIN.password))).access;
  const org = await send(baseUrl, createOrganization(name, type), admin);
  const branch = await send(baseUrl, createBranch(org.id, "Agence Plateau"), admin);
  return { admin, organizationId: org.id, branchId: branch.id };
}

/** A queue of the office's branch, with `counters` counters; its id and theirs. */
export async function aQueue(baseUrl: string, office: Office, name: string, counters = 0): Promise<{ id: string; counters: string[] }> {
  const queue = await send(baseUrl, createQueue(office.organizationId, office.branchId, name), office.admin);
  const ids: string[] = [];
  for (let c = 0; c < counters; c++) ids.push((await send(baseUrl, createCounter(queue.id, `Guichet ${c + 1}`), office.admin)).id);
  return { id: queue.id, counters: ids };
}

/** `count` queues of the office ("File 0", "File 1", … unless named otherwise), each with `counters` counters. */
export async function someQueues(baseUrl: string, office: Office, count: number, { counters = 0, name = "File" } = {}): Promise<Array<{ id: string; counters: string[] }>> {
  const queues: Array<{ id: string; counters: string[] }> = [];
  for (let i = 0; i < count; i++) queues.push(await aQueue(baseUrl, office, `${name} ${i}`, counters));
  return queues;
}

/** An agent of the office's organisation, signed in: its access token. */
export async function anAgent(baseUrl: string, office: Office): Promise<string> {
  const phone = "+221770000001";
  await send(baseUrl, createAgent(phone, PASSWORD, office.organizationId), office.admin);
  return (await send(baseUrl, signIn(phone, PASSWORD))).access;
}

/** `count` registered citizens: their access tokens, in the order of their numbers. */
export async function citizens(baseUrl: string, count: number, firstNumber = 0): Promise<string[]> {
  const numbers = Array.from({ length: count }, (_, k) => firstNumber + k);
  return mapLimited(numbers, REGISTRATIONS_IN_FLIGHT, async (i) => (await send(baseUrl, registerCitizen(`+22178${String(i).padStart(7, "0")}`, PASSWORD))).access);
}

/** Each registration hashes a password: 8 at a time took 25 ms a citizen, one at a time 49. */
const REGISTRATIONS_IN_FLIGHT = 8;

/** A display token for the office's branch, issued by the platform admin. */
export async function aScreenToken(baseUrl: string, office: Office): Promise<string> {
  return (await send(baseUrl, createDisplayToken(office.branchId, "Écran de charge"), office.admin)).token;
}

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
