// A queue's policy: defaults, patching and the checks that keep the machine total — a
// bad time zone or a negative head start would otherwise surface later as a thrown
// RangeError or a silently wrong order.
import { isTimeZone } from "./numbering.ts";
import { PRIORITY_CLASSES, type PolicyPatch, type QueuePolicy } from "./types.ts";

const MINUTE = 60_000;

export const DEFAULT_POLICY: Readonly<QueuePolicy> = Object.freeze({
  prefix: "A",
  time_zone: "Africa/Dakar",
  max_recalls: 2,
  head_start_ms: Object.freeze({ normal: 0, elderly: 10 * MINUTE, pregnant: 10 * MINUTE, disabled: 10 * MINUTE, vip: 15 * MINUTE }),
  appointment_head_start_ms: 30 * MINUTE,
  appointment_window_ms: 10 * MINUTE,
  default_service_ms: 5 * MINUTE,
});

/** Applies only the known fields of a patch; head starts merge class by class. */
export function patchPolicy(base: QueuePolicy, patch: PolicyPatch): QueuePolicy {
  const next: QueuePolicy = { ...base, head_start_ms: { ...base.head_start_ms } };
  for (const key of ["prefix", "time_zone", "max_recalls", "appointment_head_start_ms", "appointment_window_ms", "default_service_ms", "target_wait_ms"] as const) {
    if (patch[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = patch[key];
  }
  for (const cls of PRIORITY_CLASSES) {
    const value = patch.head_start_ms?.[cls];
    if (value !== undefined) next.head_start_ms[cls] = value;
  }
  return next;
}

const isDuration = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Why a policy cannot be used, or null when it can. */
export function policyProblem(policy: QueuePolicy): string | null {
  if (typeof policy.prefix !== "string" || !/^[A-Za-z0-9]{1,4}$/.test(policy.prefix)) {
    return "prefix must be 1 to 4 letters or digits";
  }
  if (typeof policy.time_zone !== "string" || !isTimeZone(policy.time_zone)) {
    return `time_zone ${JSON.stringify(policy.time_zone)} is not an IANA time zone`;
  }
  if (!Number.isInteger(policy.max_recalls) || policy.max_recalls < 0) return "max_recalls must be a whole number, 0 or more";
  for (const cls of PRIORITY_CLASSES) {
    if (!isDuration(policy.head_start_ms[cls])) return `head_start_ms.${cls} must be a duration in ms, 0 or more`;
  }
  if (!isDuration(policy.appointment_head_start_ms)) return "appointment_head_start_ms must be a duration in ms, 0 or more";
  if (!isDuration(policy.appointment_window_ms)) return "appointment_window_ms must be a duration in ms, 0 or more";
  if (!isDuration(policy.default_service_ms) || policy.default_service_ms === 0) return "default_service_ms must be a positive duration in ms";
  if (policy.target_wait_ms !== undefined && (!isDuration(policy.target_wait_ms) || policy.target_wait_ms === 0)) return "target_wait_ms must be a positive duration in ms";
  return null;
}
