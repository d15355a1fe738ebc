// A recurring job that calls one action of another service: every `everyMinutes`, and once
// when a scheduler node starts. The actions it calls are idempotent (they compare what is
// with what should be), so the extra runs that several nodes or a crash cause are harmless.
import { Errors } from "moleculer";
import type { JobDefinition } from "../job-definition.ts";

export function recurringCall(name: string, action: string, everyMinutes: number, lockLifetimeMs: number, runsAtStart = true): JobDefinition {
  return {
    name,
    lockLifetimeMs,
    everyMs: everyMinutes * 60_000,
    runsAtStart,
    async run(_job, { broker, logger }) {
      try {
        // As long as the job's lock: a slow honest run is not cut short by the broker.
        await broker.call(action, {}, { timeout: lockLifetimeMs });
      } catch (err) {
        // The service is not deployed (or not started yet): try again at the next run
        // instead of failing the job or the node.
        if (err instanceof Errors.ServiceNotFoundError || err instanceof Errors.ServiceNotAvailableError) {
          logger.warn(`${name}: ${action} is not available; retrying at the next run`);
          return;
        }
        throw err;
      }
    },
  };
}
