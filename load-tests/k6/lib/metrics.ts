// The figures several scripts report, named as their Node harnesses name them in their
// JSON, and the percentiles k6's end-of-test summary shows for every timing.
import { Counter, Trend } from "k6/metrics";

/** Call-next's latency, ticket called (nobody waiting is not timed). */
export const callNextTime = new Trend("call_next", true);
/** Tickets issued and answered; its rate is tickets/s. */
export const ticketsAcknowledged = new Counter("tickets_acknowledged");
/** Tickets called, started and completed. */
export const ticketsServed = new Counter("tickets_served");

export const TREND_STATS = ["med", "p(90)", "p(99)", "max", "count"];
