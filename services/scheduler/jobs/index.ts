// The job registry: every named job a scheduler node runs. `call:` jobs are defined on
// demand (see scheduler.ts), one name per target action.
import type { Config } from "../../../config/index.ts";
import type { JobDefinition } from "../job-definition.ts";
import { generateSlotsJob } from "./generate-slots.ts";

export function registeredJobs(config: Config): JobDefinition[] {
  return [generateSlotsJob(config.scheduler.slotGenerationEveryMinutes)];
}
