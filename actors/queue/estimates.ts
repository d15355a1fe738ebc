// Service times and wait estimates. Observed service times are an exponentially weighted
// moving average of start→complete durations: recent services count most (a slow
// morning, a new agent) while one long case does not swing the estimate; a weight of 0.2
// remembers roughly the last ten services. The queue plans with the expected duration
// (its policy's, the service's by default) blended with that average as services are
// observed, kept within a floor and a ceiling of the expected duration: a first morning of
// tickets closed in seconds (a test, a mistake) must not promise citizens a wait of seconds.
import type { QueueState, ServiceEstimate, ServiceTimes } from "./types.ts";

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
  return { queue: smoothed(times.queue, sample), by_counter: byCounter, samples: Math.min((times.samples ?? 0) + 1, MAX_SAMPLES) };
}

/** The expected duration weighs as much as this many observed services. */
export const EXPECTED_WEIGHT = 5;
/** Estimates stay between these fractions of the expected duration. */
export const FLOOR = 0.25;
export const CEILING = 4;
const MAX_SAMPLES = 1_000_000;

/** The service time to plan with, and its basis. */
export function serviceEstimate(state: Pick<QueueState, "service_ms" | "policy">): ServiceEstimate {
  const expected = state.policy.default_service_ms;
  const observed = state.service_ms.queue;
  // A state from before samples were counted: its average is worth the expected duration.
  const samples = observed === null ? 0 : (state.service_ms.samples ?? EXPECTED_WEIGHT);
  if (samples === 0 || observed === null) return { service_ms: expected, basis: "expected", observed_services: 0 };
  const blended = (EXPECTED_WEIGHT * expected + samples * observed) / (EXPECTED_WEIGHT + samples);
  const bounded = Math.min(expected * CEILING, Math.max(expected * FLOOR, blended));
  return { service_ms: Math.round(bounded), basis: "blended", observed_services: samples };
}

export const serviceTime = (state: Pick<QueueState, "service_ms" | "policy">) => serviceEstimate(state).service_ms;

export function openCounters(state: Pick<QueueState, "counters">): number {
  let open = 0;
  for (const counter of state.counters) if (counter.open) open++;
  return open;
}

/** Ticket `position` waits for the rounds of service ahead of it across the open counters. */
export function waitFor(position: number, counters: number, serviceMs: number): number {
  return Math.ceil(position / Math.max(1, counters)) * serviceMs;
}
