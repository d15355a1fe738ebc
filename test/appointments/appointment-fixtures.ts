// Fixture builders for appointments: an organisation with a branch and a service that
// takes appointments, its slots generated over a chosen window.
import assert from "node:assert/strict";
import { aBranch, anAdministeredOrganization, aService, type Session } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { system } from "../support/system.ts";

/** Monday 7 January 2030, local midnight in Dakar (UTC+0): far enough ahead for any cut-off. */
export const MONDAY_2030 = "2030-01-07T00:00:00.000Z";

export const ALL_DAY = { open: "00:00", close: "23:55" };
export const EVERY_DAY = Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((d) => [d, [ALL_DAY]]));

export interface AppointmentSetup {
  org: { id: string; name: string };
  admin: Session;
  branch: any;
  service: any;
}

// Generation reads the slots of every service by scanning on FerretDB (README, Known
// limits): late in the suite, beside a scheduler's run over every service the suite made,
// one call has taken longer than the default 10 s request timeout.
export const generateSlots = (params: Record<string, unknown>) =>
  system().node.broker.call<{ services: number; created: number; removed: number; kept: number }, object>("appointments.generateSlots", params, { timeout: 60_000 });

/** An appointment service (60-minute slots, one place unless told) in a branch with default hours. */
export async function anAppointmentService(serviceExtra: Record<string, unknown> = {}, branchExtra: Record<string, unknown> = {}): Promise<AppointmentSetup> {
  const { org, admin } = await anAdministeredOrganization();
  const branch = await aBranch(admin, org.id, branchExtra);
  const service = await aService(admin, org.id, { branch_id: branch.id, appointments_enabled: true, slot_minutes: 60, slot_capacity: 1, ...serviceExtra });
  return { org, admin, branch, service };
}

/** The same, with its slots of the week of MONDAY_2030 generated. */
export async function aBookableService(serviceExtra: Record<string, unknown> = {}): Promise<AppointmentSetup> {
  const setup = await anAppointmentService(serviceExtra);
  await generateSlots({ service_id: setup.service.id, from: MONDAY_2030, days: 7 });
  return setup;
}

/**
 * A date_from two minutes ahead, for tests that book slots generated from now: a test is
 * done long before such a slot starts, so it is never refused as started however slow the run.
 */
export const soon = () => encodeURIComponent(new Date(Date.now() + 2 * 60_000).toISOString());

/** The slot key of the service's slot starting at this instant. */
export const slotAt = (service: { id: string }, iso: string) => `${service.id}:${new Date(iso).toISOString()}`;

export const slotPath = (id: string) => `/api/appointments/appointment-slots/${encodeURIComponent(id)}/`;
export const APPOINTMENTS = "/api/appointments/appointments/";
export const appointmentPath = (id: string) => `${APPOINTMENTS}${id}/`;

export async function anAppointment(who: Session, slotId: string, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await post(APPOINTMENTS, { slot_id: slotId, ...extra }, { token: who.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}
