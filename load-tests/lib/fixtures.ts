// What the load scripts set up through the REST API before they measure: an organisation
// (with a branch when screens are involved), an agent, citizens.
import { createAgent, createBranch, createCounter, createDisplayToken, createOrganization, createQueue, registerCitizen, signIn } from "./public-api.ts";
import { ADMIN, send } from "./system-under-test.ts";
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
