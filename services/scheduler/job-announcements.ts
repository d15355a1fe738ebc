// Agenda's notification channel, so that no due job waits for a poll:
// - a job saved on this node is handed to this node's processor at once, which locks it
//   if it is due before the next poll (other nodes find it at their polls: told at once,
//   all would race for it, and on FerretDB Agenda's lock is not exclusive, so several
//   would run it);
// - what a stopping node hands back (jobs it had locked, a run's retry saved as it
//   stopped) is announced to the other scheduler nodes through the broker.
// Polls can then be seconds apart (SCHEDULER_PROCESS_EVERY_MS): on FerretDB each is a
// findAndModify per job name, a write that scans `scheduler_jobs` and queues for the
// database's one write turn with every ticket's journal insert.
import { BaseNotificationChannel, type JobNotification } from "agenda";
import type { EventPayload } from "../events.ts";

export type HandedBack = EventPayload<"scheduler.jobs.handed_back">;

export class JobAnnouncements extends BaseNotificationChannel {
  /** `toOtherNodes`: sends what this node hands back to the other scheduler nodes. */
  constructor(private readonly toOtherNodes: (handedBack: HandedBack) => void) {
    super();
  }

  async connect(): Promise<void> {
    this.setState("connected");
  }

  async disconnect(): Promise<void> {
    this.handlers.clear();
    this.setState("disconnected");
  }

  /** Called by Agenda after a save on this node. */
  async publish(notification: JobNotification): Promise<void> {
    await this.notifyHandlers(notification);
  }

  /** Tells the other nodes that a job of this name may be due at `at`. */
  handBack(jobName: string, at: Date): void {
    this.toOtherNodes({ job_name: jobName, next_run_at: at.toISOString() });
  }

  /** What another node handed back: its jobs of that name are looked for now. */
  heard(handedBack: HandedBack): Promise<void> {
    return this.notifyHandlers({
      // The processor reads the name and the time only.
      jobId: handedBack.job_name as JobNotification["jobId"],
      jobName: handedBack.job_name,
      nextRunAt: new Date(handedBack.next_run_at),
      priority: 0,
      timestamp: new Date(),
    });
  }
}
