// Appointments and slots as stored, for the rules tested without a broker or a database.
import assert from "node:assert/strict";
import type { AppointmentDoc, AppointmentsStore, SlotDoc } from "../../services/appointments/store.ts";

/** Monday 7 January 2030, 09:00 in Dakar (UTC+0). */
export const NINE_AM = new Date("2030-01-07T09:00:00.000Z");
export const MINUTE = 60_000;

/** Service svc-1's slot at NINE_AM, one hour, one place, in branch-1 of org-1. */
export const aStoredSlot = (overrides: Partial<SlotDoc> = {}): SlotDoc => ({
  _id: `svc-1:${NINE_AM.toISOString()}`,
  service_id: "svc-1",
  branch_id: "branch-1",
  organization_id: "org-1",
  starts_at: NINE_AM,
  ends_at: new Date(NINE_AM.getTime() + 60 * MINUTE),
  capacity: 1,
  ...overrides,
});

/** Citizen c-1's booked appointment in that slot, never changed. */
export function aStoredAppointment(overrides: Partial<AppointmentDoc> = {}): AppointmentDoc {
  const { _id: slot_id, capacity: _capacity, ...where } = aStoredSlot();
  return { _id: "appt-1", slot_id, seat_id: `${slot_id}#0`, ...where, user_id: "c-1", status: "booked", ticket_id: null, booked_by: "c-1", changes: 0, created_at: NINE_AM, updated_at: NINE_AM, ...overrides };
}

/** A store whose every use fails the test: the rule must decide before reading or writing. */
export const untouchedStore = new Proxy({}, { get: (_, name) => assert.fail(`the store was used (${String(name)})`) }) as AppointmentsStore;
