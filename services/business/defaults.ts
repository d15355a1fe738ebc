// What a new branch or service gets for the fields its creator left out.
import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE } from "./opening-hours.ts";
import type { BranchInput, ServiceInput } from "./schemas.ts";

export function branchWithDefaults(input: BranchInput) {
  return {
    address: "",
    commune: "",
    latitude: null,
    longitude: null,
    opening_hours: DEFAULT_OPENING_HOURS,
    holidays: [],
    time_zone: DEFAULT_TIME_ZONE,
    is_active: true,
    ...input,
  };
}

export const DEFAULT_SLOT_MINUTES = 30;

export function serviceWithDefaults(input: ServiceInput) {
  return {
    branch_id: null,
    name_en: "",
    description_fr: "",
    description_en: "",
    appointments_enabled: false,
    slot_minutes: DEFAULT_SLOT_MINUTES,
    slot_capacity: 1,
    booking_cutoff_minutes: 60,
    opening_hours: null,
    fee_xof: 0,
    deposit_xof: 0,
    is_active: true,
    ...input,
  };
}
