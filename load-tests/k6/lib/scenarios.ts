// The Node harnesses' two ways of loading a deployment, as k6 scenarios. Closed loops
// (load-tests/lib/closed-loop.ts): a scenario of `workers` iterations shared by as many
// VUs, so each VU runs exactly one long iteration and `exec.scenario.iterationInTest`
// numbers the workers 0…workers-1 (a citizen, a counter, a screen); each worker repeats
// its step until `seconds` have passed. Paced arrivals (load-tests/lib/paced.ts): a
// request started `rate` times a second whether or not the earlier ones are answered,
// at most 64 in flight; past that k6 drops the start (the `dropped_iterations` metric)
// where the harness delays it: either way the deployment is not keeping up.
import exec from "k6/execution";
import type { Scenario } from "k6/options";

/** At most this many paced requests in flight, as the harnesses' pacing allows. */
const IN_FLIGHT = 64;

export function closedLoops(exported: string, workers: number, seconds: number, startSeconds = 0): Scenario {
  return {
    executor: "shared-iterations",
    exec: exported,
    vus: Math.max(1, workers),
    iterations: Math.max(1, workers),
    startTime: `${startSeconds}s`,
    // Room for the last step to finish, as the harness waits for it.
    maxDuration: `${seconds + 60}s`,
  };
}

/** This VU's worker number in its closed-loop scenario. */
export function worker(): number {
  return exec.scenario.iterationInTest;
}

/** Runs `step` until `seconds` from now; a step that answers false has run out of work and stops. */
export function repeatFor(seconds: number, step: () => boolean | void): void {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) if (step() === false) return;
}

export function paced(exported: string, rate: number, seconds: number, startSeconds: number): Scenario {
  return {
    executor: "constant-arrival-rate",
    exec: exported,
    rate,
    timeUnit: "1s",
    duration: `${seconds}s`,
    startTime: `${startSeconds}s`,
    preAllocatedVUs: IN_FLIGHT,
    maxVUs: IN_FLIGHT,
  };
}
