// What the recurring generation job changes when it compares the slots in the store with a
// fresh plan: future empty slots follow the opening hours, booked slots stay whatever the
// hours now say, and the past is history.
import type { PlannedSlot } from "./generate.ts";
import { startOfSlotKey } from "./key.ts";

export interface ExistingSlot {
  key: string;
  booked: number;
}

export interface SlotChanges {
  create: PlannedSlot[];
  /** Keys of future slots with no booking that the plan no longer has. */
  remove: string[];
  /** Keys of future slots that stay: still planned, or booked. */
  keep: string[];
}

/** Slots starting before `from` appear in none of the three lists. */
export function reconcileSlots(existing: ExistingSlot[], planned: PlannedSlot[], from: Date): SlotChanges {
  const fromMs = from.getTime();
  const plannedKeys = new Set(planned.map((slot) => slot.key));
  const existingKeys = new Set<string>();
  const remove: string[] = [];
  const keep: string[] = [];
  for (const slot of existing) {
    if (existingKeys.has(slot.key)) continue;
    existingKeys.add(slot.key);
    if (startOfSlotKey(slot.key).getTime() < fromMs) continue;
    if (slot.booked > 0 || plannedKeys.has(slot.key)) keep.push(slot.key);
    else remove.push(slot.key);
  }
  const create = planned.filter((slot) => slot.starts_at.getTime() >= fromMs && !existingKeys.has(slot.key));
  return { create, remove, keep };
}
