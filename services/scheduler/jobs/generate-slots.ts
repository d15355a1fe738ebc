// Keeps the rolling window of bookable appointment slots filled: every hour (setting
// SLOT_GENERATION_EVERY_MINUTES) and once when a scheduler node starts. Generation is
// idempotent on the appointments side (slots have unique keys), so the extra runs that
// several nodes or a crash can cause are harmless.
import { Errors } from "moleculer";
import type { JobDefinition } from "../job-definition.ts";

export const GENERATE_SLOTS = "appointments.generate-slots";

export function generateSlotsJob(everyMinutes: number): JobDefinition {
  return {
    name: GENERATE_SLOTS,
    // A 14-day window for hundreds of services takes seconds to a few minutes; ten
    // minutes lets a slow run finish before another node takes the job over.
    lockLifetimeMs: 10 * 60_000,
    everyMs: everyMinutes * 60_000,
    async run(_job, { broker, logger }) {
      try {
        await broker.call("appointments.generateSlots", {});
      } catch (err) {
        // Appointments not deployed (or not started yet): try again at the next run
        // instead of failing the job or the node.
        if (err instanceof Errors.ServiceNotFoundError || err instanceof Errors.ServiceNotAvailableError) {
          logger.warn(`${GENERATE_SLOTS}: appointments.generateSlots is not available; retrying at the next run`);
          return;
        }
        throw err;
      }
    },
  };
}
