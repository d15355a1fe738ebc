// Service times and wait estimates. Service times are an exponentially weighted moving
// average of observed start→complete durations: recent services count most (a slow
// morning, a new agent) while one long case does not swing the estimate; a weight of 0.2
// remembers roughly the last ten services.
import type { QueueState, ServiceTimes } from "./types.ts";

export const SERVICE_TIME_WEIGHT = 0.2;

export function smoothed(previous: number | null | undefined, sampleMs: number): number {
  return Math.round(previous == null ? sampleMs : previous + SERVICE_TIME_WEIGHT * (sampleMs - previous));
}

/** Folds one observed service into the queue's and the counter's averages. */
export function recordService(times: ServiceTimes, counterId: string | null, durationMs: number): ServiceTimes {
  const sample = Math.max(0, durationMs); // clocks of two nodes may disagree by a little
  const byCounter = counterId === null
    ? times.by_counter
    : { ...times.by_counter, [counterId]: smoothed(Object.hasOwn(times.by_counter, counterId) ? times.by_counter[counterId] : null, sample) };
  return { queue: smoothed(times.queue, sample), by_counter: byCounter };
}

/** The service time to plan with: observed if any, else the policy's default. */
export function serviceTime(state: Pick<QueueState, "service_ms" | "policy">): number {
  return state.service_ms.queue ?? state.policy.default_service_ms;
}

export function openCounters(state: Pick<QueueState, "counters">): number {
  let open = 0;
  for (const counter of state.counters) if (counter.open) open++;
  return open;
}

/** Ticket `position` waits for the rounds of service ahead of it across the open counters. */
export function waitFor(position: number, counters: number, serviceMs: number): number {
  return Math.ceil(position / Math.max(1, counters)) * serviceMs;
}
