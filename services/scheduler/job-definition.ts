// What a job file declares: its name, how long its lock lasts, and what it does. The
// handler gets the broker to call actions with, never another service's collections.
import type { BackoffStrategy, Job } from "agenda";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import type { Connection } from "mongoose";

export interface JobContext {
  broker: ServiceBroker;
  logger: LoggerInstance;
  db: Connection;
}

export interface JobDefinition<D = unknown> {
  name: string;
  /** How long a node may hold the job before others consider it dead and run it again.
   * Longer than the job's slowest honest run; a re-run must be harmless (idempotent). */
  lockLifetimeMs: number;
  run(job: Job<D>, ctx: JobContext): Promise<void>;
  /** When a failed run is tried again; none: a one-off job stays failed. */
  backoff?: BackoffStrategy;
  /** A recurring job: every this many milliseconds, and once when a node starts … */
  everyMs?: number;
  /** … unless this is false. */
  runsAtStart?: boolean;
  /** A one-off job whose document goes once it succeeded. */
  removeOnComplete?: boolean;
}
