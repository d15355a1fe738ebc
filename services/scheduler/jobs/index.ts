// The job registry: every named recurring job a scheduler node runs. One-off calls go
// through the calls timetable instead (call-dispatcher.ts).
import type { Config } from "../../../config/index.ts";
import type { JobDefinition } from "../job-definition.ts";
import { recurringCall } from "./recurring-call.ts";

export function registeredJobs({ scheduler, payments, analytics }: Config): JobDefinition[] {
  return [
    // The rolling window of bookable slots. A 14-day window for hundreds of services
    // takes seconds to minutes; ten minutes lets a slow run finish before another node
    // takes the job over.
    recurringCall("appointments.generate-slots", "appointments.generateSlots", scheduler.slotGenerationEveryMinutes, 10 * 60_000),
    // No-shows marked, and reminders due soon made sure of (booking schedules them; this
    // catches a booking whose scheduling failed).
    recurringCall("appointments.sweep", "appointments.sweep", scheduler.appointmentSweepEveryMinutes, 5 * 60_000),
    // Queues past their closing time closed, once a day each. Not at start: the first
    // check a few minutes later is soon enough, and a test run's nodes would otherwise
    // close every queue of the run when started after closing time.
    recurringCall("queues.end-of-day", "queues.closeAtEndOfDay", scheduler.endOfDayCheckEveryMinutes, 5 * 60_000, false),
    // Queues that open by themselves opened at their day's opening time, once a day each;
    // not at start either, for the same reason.
    recurringCall("queues.start-of-day", "queues.openAtStartOfDay", scheduler.endOfDayCheckEveryMinutes, 5 * 60_000, false),
    // Pending payments verified with their provider on a backoff, and expired when stale
    // (payments.reconcile, services/payments/settlement.ts); a pass is quick.
    recurringCall("payments.reconcile", "payments.reconcile", payments.reconcileEveryMs / 60_000, 2 * 60_000),
    // Closed days packed for the CSV export (services/analytics/export-packing.ts). A pass
    // stops starting days after ten minutes; a million-row day takes minutes on FerretDB.
    // Not at start: a restart is no reason to read whole days, the next pass is soon enough.
    recurringCall("analytics.pack-export-days", "analytics.packExportDays", analytics.exportPackEveryMinutes, 30 * 60_000, false),
  ];
}
