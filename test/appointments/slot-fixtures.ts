import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE, type OpeningHours } from "../../services/business/opening-hours.ts";
import type { PlannedSlot, SlotPlan } from "../../services/appointments/slots/generate.ts";

/** A service with the office defaults: Monday to Friday 9:00–17:00 in Dakar, 30-minute slots, one place. */
export const aSlotPlan = (overrides: Partial<SlotPlan> = {}): SlotPlan => ({
  service_id: "svc-1",
  branch_id: "branch-1",
  organization_id: "org-1",
  time_zone: DEFAULT_TIME_ZONE,
  opening_hours: DEFAULT_OPENING_HOURS,
  holidays: [],
  slot_minutes: 30,
  capacity: 1,
  ...overrides,
});

/** Hours kept on one day only; the rest of the week closed. */
export const onlyOn = (day: keyof OpeningHours, intervals: OpeningHours[keyof OpeningHours]): OpeningHours => ({
  monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [],
  [day]: intervals,
});

/** Monday 10 March 2025, local midnight in Dakar (UTC+0). */
export const MONDAY = new Date(Date.UTC(2025, 2, 10));

export const startsOf = (slots: PlannedSlot[]) => slots.map((s) => s.starts_at.toISOString());
export const utcDayOf = (slot: PlannedSlot) => slot.starts_at.toISOString().slice(0, 10);
export const countByUtcDay = (slots: PlannedSlot[]) =>
  slots.reduce<Record<string, number>>((days, s) => ({ ...days, [utcDayOf(s)]: (days[utcDayOf(s)] ?? 0) + 1 }), {});
