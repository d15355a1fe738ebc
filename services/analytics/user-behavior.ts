// How citizens use an organisation, a branch or a queue over a period: how many came,
// for the first time or back again (visits.ts), by which channels and how often they did
// not show up (the rollups), and how long before their appointment they book
// (bookings.ts) and how their appointments ended (appointment-outcomes.ts): both per
// organisation or branch, since appointments are booked for a service, not a queue.
import type { Connection } from "mongoose";
import { mapLimited } from "../../mixins/db/limited.ts";
import { appointmentsOn, appointmentSummary, emptyAppointments, mergeAppointments } from "./appointment-outcomes.ts";
import { bookingsOn, leadTimeFigures } from "./bookings.ts";
import { daysFrom, scopeSeries } from "./reads.ts";
import { dayRecordsFilter, type Scope } from "./scopes.ts";
import type { AnalyticsStore } from "./store.ts";
import { citizenFigures, visitsOn } from "./visits.ts";

const READS_IN_FLIGHT = 8;

export async function userBehavior(db: Connection, store: AnalyticsStore, scope: Scope, series: readonly string[], from: string, to: string) {
  const days = daysFrom(from, to);
  const filter = dayRecordsFilter(scope);
  const appointmentsFilter = scope.kind === "queue" ? null : filter;
  const [figures, visits, bookings, appointments] = await Promise.all([
    scopeSeries(store, series, "day", from, to, null),
    mapLimited(days, READS_IN_FLIGHT, (day) => visitsOn(db, day, filter)),
    appointmentsFilter && mapLimited(days, READS_IN_FLIGHT, (day) => bookingsOn(db, day, appointmentsFilter)),
    appointmentsFilter && mapLimited(days, READS_IN_FLIGHT, (day) => appointmentsOn(db, day, appointmentsFilter)),
  ]);
  const { issued, no_show, no_show_rate, channels } = figures.totals;
  return {
    citizens: citizenFigures(visits.flat(), from, to),
    tickets: { issued, channels, no_show, no_show_rate },
    booking_lead_time: bookings && leadTimeFigures(bookings.flat().map((b) => b.lead_ms)),
    appointments: appointments && appointmentSummary(appointments.reduce(mergeAppointments, emptyAppointments())),
  };
}
