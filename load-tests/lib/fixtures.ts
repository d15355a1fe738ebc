// What the load scripts set up through the REST API before they measure: an organisation
// (with a branch when screens are involved), an agent, citizens.
import { ADMIN, api } from "./system-under-test.ts";

const PASSWORD = "passw0rd-load";

export interface Office {
  /** The platform admin's access token. */
  admin: string;
  organizationId: string;
  branchId: string;
}

/** An organisation with one branch, created by the platform admin. */
export async function anOffice(baseUrl: string, name: string, type = "bank"): Promise<Office> {
  const admin = (await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: ADMIN.phone, password: ADMIN.password })).access;
  const org = await api(baseUrl, "POST", "/api/business/organizations/", { name, type }, admin);
  const branch = await api(baseUrl, "POST", "/api/business/branches/", { organization_id: org.id, name: "Agence Plateau" }, admin);
  return { admin, organizationId: org.id, branchId: branch.id };
}

/** A queue of the office's branch, with `counters` counters; its id and theirs. */
export async function aQueue(baseUrl: string, office: Office, name: string, counters = 0): Promise<{ id: string; counters: string[] }> {
  const queue = await api(baseUrl, "POST", "/api/queues/queues/", { organization_id: office.organizationId, branch_id: office.branchId, name, prefix: "A" }, office.admin);
  const ids: string[] = [];
  for (let c = 0; c < counters; c++) ids.push((await api(baseUrl, "POST", `/api/queues/queues/${queue.id}/counters/`, { name: `Guichet ${c + 1}` }, office.admin)).id);
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
  await api(baseUrl, "POST", "/api/accounts/users/", { phone, password: PASSWORD, role: "agent", organization_id: office.organizationId }, office.admin);
  return (await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone, password: PASSWORD })).access;
}

/** `count` registered citizens: their access tokens. */
export async function citizens(baseUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push((await api(baseUrl, "POST", "/api/accounts/auth/register/", { phone: `+22178${String(i).padStart(7, "0")}`, password: PASSWORD })).access);
  }
  return tokens;
}

/** A display token for the office's branch, issued by the platform admin. */
export async function aScreenToken(baseUrl: string, office: Office): Promise<string> {
  return (await api(baseUrl, "POST", "/api/accounts/display-tokens/", { branch_id: office.branchId, name: "Écran de charge" }, office.admin)).token;
}
