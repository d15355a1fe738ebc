// A queue's policy as the API speaks it (minutes) and as the actor keeps it (ms).
import type { PolicyPatch, PriorityClass } from "../../actors/queue/index.ts";
import type { PolicyInput } from "./schemas.ts";

const MINUTE = 60_000;
const ms = (minutes: number | undefined) => (minutes === undefined ? undefined : minutes * MINUTE);

export function toPolicyPatch(input: PolicyInput | undefined, prefix?: string): PolicyPatch {
  const patch: PolicyPatch = {};
  if (prefix) patch.prefix = prefix;
  if (!input) return patch;
  if (input.max_recalls !== undefined) patch.max_recalls = input.max_recalls;
  if (input.default_service_minutes !== undefined) patch.default_service_ms = ms(input.default_service_minutes);
  if (input.appointment_head_start_minutes !== undefined) patch.appointment_head_start_ms = ms(input.appointment_head_start_minutes);
  if (input.appointment_window_minutes !== undefined) patch.appointment_window_ms = ms(input.appointment_window_minutes);
  if (input.target_wait_minutes !== undefined) patch.target_wait_ms = ms(input.target_wait_minutes);
  if (input.head_start_minutes) {
    patch.head_start_ms = Object.fromEntries(
      Object.entries(input.head_start_minutes).filter(([, m]) => m !== undefined).map(([c, m]) => [c, ms(m)]),
    ) as Partial<Record<PriorityClass, number>>;
  }
  return patch;
}

/** Merges a later patch over an earlier one (head starts class by class). */
export function mergePolicy(base: PolicyPatch, change: PolicyPatch): PolicyPatch {
  return { ...base, ...change, head_start_ms: { ...base.head_start_ms, ...change.head_start_ms } };
}
