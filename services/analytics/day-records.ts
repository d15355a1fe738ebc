// What a scope's figures add from the records filed by day rather than rolled up: the
// ratings (ratings.ts), and for an organisation or a branch the appointments booked and
// ended (appointment-outcomes.ts; a queue, counter or agent has none: appointments are
// booked for a service). They add up over days as the rollups do.
import { appointmentSummary, emptyAppointments, mergeAppointments, type AppointmentCounts } from "./appointment-outcomes.ts";
import { mergeRatings, ratingSummary, type RatingFigures } from "./ratings.ts";

export interface DayRecordFigures {
  ratings: RatingFigures;
  /** Null for a scope whose appointments are not counted. */
  appointments: AppointmentCounts | null;
}

/** A day's records in the scope asked for; null where none are read. */
export type DayRecords = ((day: string) => Promise<DayRecordFigures>) | null;

export function mergeDayRecords(a: DayRecordFigures, b: DayRecordFigures): DayRecordFigures {
  const appointments = a.appointments || b.appointments ? mergeAppointments(a.appointments ?? emptyAppointments(), b.appointments ?? emptyAppointments()) : null;
  return { ratings: mergeRatings(a.ratings, b.ratings), appointments };
}

/** As the API shows them, beside the rollups' figures. */
export function shownDayRecords(records: DayRecordFigures | undefined) {
  if (!records) return {};
  return { ratings: ratingSummary(records.ratings), ...(records.appointments ? { appointments: appointmentSummary(records.appointments) } : {}) };
}
