// Agents calling on their own — the scenario of the Node harness load-tests/call-next.ts
// (part of `npm run bench`), against a deployment you point it at. Each of QUEUES queues
// gets COUNTERS_PER_QUEUE counters and BACKLOG kiosk tickets (issued by the agent ten at
// a time) before the clock starts; then every counter calls, starts and completes back to
// back, nothing else running: the latency of a durable call-next, and how many a second
// the deployment answers that way.
//
//   k6 run -e BASE_URL=https://… -e ADMIN_PHONE=… -e ADMIN_PASSWORD=… load-tests/k6/call-next.ts
//   settings: SECONDS=10 QUEUES=10 COUNTERS_PER_QUEUE=2 BACKLOG=300
//             CALL_NEXT_P50_MS=3 CALL_NEXT_P99_MS=10 (thresholds: the project's goals, docs/BENCHMARKS.md)
//
// Reading it: `call_next` p50/p99 (the harness's call_next) and its rate (calls_per_s);
// `tickets_served` × 3 is the harness's commands (call-next, start, complete);
// `counters_out_of_tickets` above 0 means a counter worked through its backlog before
// the time was up and stopped, so the rates undercount: raise BACKLOG.
import { Counter } from "k6/metrics";
import type { Options } from "k6/options";
import { issueKioskTicket } from "../lib/public-api.ts";
import { serveNext } from "./lib/counter.ts";
import { count } from "./lib/env.ts";
import { sendAll } from "./lib/http.ts";
import { callNextTime, TREND_STATS, ticketsServed } from "./lib/metrics.ts";
import { closedLoops, repeatFor, worker } from "./lib/scenarios.ts";
import { setUpOffice, type Office } from "./lib/office.ts";

const SECONDS = count("SECONDS", 10);
const QUEUES = count("QUEUES", 10);
const COUNTERS_PER_QUEUE = count("COUNTERS_PER_QUEUE", 2);
const BACKLOG = count("BACKLOG", 300);
const ISSUED_AT_ONCE = 10;

const drained = new Counter("counters_out_of_tickets");

export const options: Options = {
  setupTimeout: "30m",
  summaryTrendStats: TREND_STATS,
  scenarios: { counters: closedLoops("counter", QUEUES * COUNTERS_PER_QUEUE, SECONDS) },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    call_next: [`p(50)<${count("CALL_NEXT_P50_MS", 3)}`, `p(99)<${count("CALL_NEXT_P99_MS", 10)}`],
  },
};

export function setup(): Office {
  const office = setUpOffice({ name: "Banque des guichets", type: "bank", queues: QUEUES, countersPerQueue: COUNTERS_PER_QUEUE, queueName: "File", citizens: 0, screens: false });
  for (const queue of office.queues) {
    for (let i = 0; i < BACKLOG; i += ISSUED_AT_ONCE) {
      sendAll(Array.from({ length: Math.min(ISSUED_AT_ONCE, BACKLOG - i) }, () => issueKioskTicket(queue.id)), office.agent);
    }
  }
  return office;
}

/** Counter n of the run (queue by queue), calling until its queue is empty or the time is up. */
export function counter(office: Office): void {
  const n = worker();
  const queue = office.queues[Math.floor(n / COUNTERS_PER_QUEUE)]!;
  const counterId = queue.counters[n % COUNTERS_PER_QUEUE]!;
  repeatFor(SECONDS, () => {
    if (serveNext(queue.id, counterId, office.agent, callNextTime)) return void ticketsServed.add(1);
    drained.add(1);
    return false;
  });
}
