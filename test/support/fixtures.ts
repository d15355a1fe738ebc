// Fixture builders: every test makes its own people and organisations, so tests never
// depend on each other's data.
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { post } from "./http.ts";
import { ADMIN } from "./system.ts";

export interface Session {
  user: { id: string; phone: string; role: string; organization_id: string | null; [k: string]: unknown };
  access: string;
  refresh: string;
  password: string;
}

const usedPhones = new Set<string>();
/** A valid Senegalese mobile number (77 prefix) in E.164, unique within the run. */
export function aPhone(): string {
  let phone: string;
  do phone = `+22177${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;
  while (usedPhones.has(phone));
  usedPhones.add(phone);
  return phone;
}

export const PASSWORD = "passw0rd-ok";

export async function login(phone: string, password: string): Promise<Session> {
  const reply = await post("/api/accounts/auth/login/", { phone, password });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return { ...reply.body, password };
}

/** A citizen registered on the run's node, or on another node's gateway (`baseUrl`). */
export async function aCitizen(extra: Record<string, unknown> = {}, baseUrl?: string): Promise<Session> {
  const reply = await post("/api/accounts/auth/register/", { phone: aPhone(), password: PASSWORD, ...extra }, { baseUrl });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { ...reply.body, password: PASSWORD };
}

export const aPlatformAdmin = () => login(ADMIN.phone, ADMIN.password);

export async function anOrganization(admin?: Session, extra: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const by = admin ?? (await aPlatformAdmin());
  const reply = await post(
    "/api/business/organizations/",
    { name: `Org ${aPhone().slice(-7)}`, type: "bank", ...extra },
    { token: by.access },
  );
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

/** A staff member (agent or org admin) of an organisation, logged in. */
export async function aStaffMember(role: "agent" | "org_admin", organizationId: string): Promise<Session> {
  const admin = await aPlatformAdmin();
  const phone = aPhone();
  const reply = await post(
    "/api/accounts/users/",
    { phone, password: PASSWORD, role, organization_id: organizationId },
    { token: admin.access },
  );
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return login(phone, PASSWORD);
}

export const anOrgAdmin = (organizationId: string) => aStaffMember("org_admin", organizationId);
export const anAgent = (organizationId: string) => aStaffMember("agent", organizationId);

/** An organisation with its own admin, the usual starting point of business tests. */
export async function anAdministeredOrganization(): Promise<{ org: { id: string; name: string }; admin: Session }> {
  const org = await anOrganization();
  return { org, admin: await anOrgAdmin(org.id) };
}

export async function aBranch(by: Session, organizationId: string, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await post("/api/business/branches/", { organization_id: organizationId, name: "Agence Plateau", ...extra }, { token: by.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

export async function aService(by: Session, organizationId: string, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await post(
    "/api/business/services/",
    { organization_id: organizationId, name_fr: "Dépôt", name_en: "Deposit", expected_duration_minutes: 10, ...extra },
    { token: by.access },
  );
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}
