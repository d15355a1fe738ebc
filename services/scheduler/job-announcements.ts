// Agenda's notification channel over the broker: a job saved on any scheduler node is
// announced to every scheduler node (this one included), whose processor locks it at once
// if it is due before that node's next poll. Without it, a job saved between two polls
// waits for the next poll, so polls had to come often; on FerretDB each poll is a
// findAndModify per job name, a write that scans `scheduler_jobs` and queues for the
// database's one write turn with every ticket's journal insert. Announced, jobs fire on
// time with polls seconds apart (SCHEDULER_PROCESS_EVERY_MS).
import { BaseNotificationChannel, type JobNotification } from "agenda";
import type { EventPayload } from "../events.ts";

export type JobSaved = EventPayload<"scheduler.job.saved">;

export class JobAnnouncements extends BaseNotificationChannel {
  constructor(private readonly announce: (saved: JobSaved) => void) {
    super();
  }

  async connect(): Promise<void> {
    this.setState("connected");
  }

  async disconnect(): Promise<void> {
    this.handlers.clear();
    this.setState("disconnected");
  }

  /** Called by Agenda after a save: sent without waiting for any node's processor. */
  async publish(notification: JobNotification): Promise<void> {
    this.announce({
      job_id: String(notification.jobId),
      job_name: notification.jobName,
      next_run_at: notification.nextRunAt ? new Date(notification.nextRunAt).toISOString() : null,
    });
  }

  /** An announcement heard from the broker: handed to this node's processor. */
  heard(saved: JobSaved): Promise<void> {
    return this.notifyHandlers({
      jobId: saved.job_id as JobNotification["jobId"],
      jobName: saved.job_name,
      nextRunAt: saved.next_run_at === null ? null : new Date(saved.next_run_at),
      priority: 0,
      timestamp: new Date(),
    });
  }
}
