// An agent's turn at a counter, as the Node harnesses take it: call the next ticket, and
// if one came, start it, serve it for `serviceSeconds`, complete it. Only the call-next is
// timed: it is the figure the harnesses report.
import { sleep } from "k6";
import type { Trend } from "k6/metrics";
import { callNext, completeTicket, startTicket } from "../../lib/public-api.ts";
import { body, send } from "./http.ts";

/** True when a ticket was called and served; false when nobody was waiting (409). */
export function serveNext(queueId: string, counterId: string, agent: string, callNextTime: Trend, serviceSeconds = 0): boolean {
  const called = send(callNext(queueId, counterId), agent, [200, 409]);
  const ticketId = called.status === 200 ? body<{ id: string }>(called)?.id : undefined;
  if (!ticketId) return false;
  callNextTime.add(called.timings.duration);
  send(startTicket(ticketId), agent);
  if (serviceSeconds > 0) sleep(serviceSeconds);
  send(completeTicket(ticketId), agent);
  return true;
}
