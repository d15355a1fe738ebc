// The office day's shape, shared by its Node harness (office-day.ts) and its k6 script
// (k6/office-day.ts) so both drive the same day.
import { issueKioskTicket, issueMobileTicket, type ApiRequest } from "./public-api.ts";

export const COUNTERS_PER_QUEUE = 2;
/** Citizens whose phones issue the mobile tickets and poll. */
export const CITIZENS = 20;
export const POLLS_PER_TICKET = 3;
/** A ticket's service, compressed: the agent starts it, waits this long, completes it. */
export const SERVICE_MS = 400;
/** How long a counter waits before calling again when nobody is waiting. */
export const IDLE_COUNTER_MS = 250;

/** The i-th ticket of the day: three in five from the kiosk (one in ten for an elderly citizen), the rest from phones. */
export function officeDayTicket(i: number, queueId: string): { fromKiosk: boolean; request: ApiRequest } {
  const fromKiosk = i % 5 < 3;
  return { fromKiosk, request: fromKiosk ? issueKioskTicket(queueId, i % 10 === 0 ? "elderly" : "normal") : issueMobileTicket(queueId) };
}
