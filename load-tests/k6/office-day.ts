// The office day — the scenario of the Node harness load-tests/office-day.ts (part of
// `npm run bench`), against a deployment you point it at: a town hall's compressed busy
// morning. Screens (SCREENS_PER_QUEUE per queue) connect during CONNECT_SECONDS; then for
// SECONDS tickets arrive at TICKETS_PER_SECOND (three in five from the kiosk, one in ten
// of those for an elderly citizen, the rest from 20 citizens' phones), citizens poll
// their queue's status three times per ticket, and an agent at each of the two counters
// per queue calls, starts, serves for 400 ms and completes (the mix and timings are
// load-tests/lib/office-day-mix.ts, which the harness uses too).
//
//   k6 run -e BASE_URL=https://… -e WS_URL=wss://… -e ADMIN_PHONE=… -e ADMIN_PASSWORD=… load-tests/k6/office-day.ts
//   settings: SECONDS=20 TICKETS_PER_SECOND=10 QUEUES=10 SCREENS_PER_QUEUE=10 CONNECT_SECONDS=10
//
// Reading it: `kiosk`, `mobile`, `status_poll`, `call_next` p50/p99 and `screen_delay`
// p50/p99 (commit→screen) are the harness's figures of the same names;
// `tickets_acknowledged`, `tickets_served` and the status polls' http_reqs give the rates
// reached; `screen_gaps` and `screens_dropped` must stay 0, and fewer than 1% of requests
// may fail (thresholds). The harness also reports the server's CPU and memory, the read
// model's lag and every acknowledged ticket found in the database, which k6 cannot see.
import { sleep } from "k6";
import exec from "k6/execution";
import { Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { CITIZENS, COUNTERS_PER_QUEUE, IDLE_COUNTER_MS, officeDayTicket, POLLS_PER_TICKET, SERVICE_MS } from "../lib/office-day-mix.ts";
import { queueStatus } from "../lib/public-api.ts";
import { serveNext } from "./lib/counter.ts";
import { count } from "./lib/env.ts";
import { send } from "./lib/http.ts";
import { callNextTime, TREND_STATS, ticketsAcknowledged, ticketsServed } from "./lib/metrics.ts";
import { closedLoops, paced, repeatFor, worker } from "./lib/scenarios.ts";
import { setUpOffice, type Office } from "./lib/office.ts";
import { watchQueue } from "./lib/screen.ts";

const SECONDS = count("SECONDS", 20);
const TICKETS_PER_SECOND = count("TICKETS_PER_SECOND", 10);
const QUEUES = count("QUEUES", 10);
const SCREENS_PER_QUEUE = count("SCREENS_PER_QUEUE", 10);
const CONNECT_SECONDS = count("CONNECT_SECONDS", 10);
/** Deltas still on their way when the day ends. */
const DRAIN_SECONDS = 1;

const kioskTime = new Trend("kiosk", true);
const mobileTime = new Trend("mobile", true);
const statusTime = new Trend("status_poll", true);

export const options: Options = {
  setupTimeout: "10m",
  summaryTrendStats: TREND_STATS,
  scenarios: {
    screens: closedLoops("screen", QUEUES * SCREENS_PER_QUEUE, CONNECT_SECONDS + SECONDS + DRAIN_SECONDS),
    issuing: paced("issue", TICKETS_PER_SECOND, SECONDS, CONNECT_SECONDS),
    polling: paced("poll", TICKETS_PER_SECOND * POLLS_PER_TICKET, SECONDS, CONNECT_SECONDS),
    counters: closedLoops("counter", QUEUES * COUNTERS_PER_QUEUE, SECONDS, CONNECT_SECONDS),
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    screen_gaps: ["count==0"],
    screens_dropped: ["count==0"],
  },
};

export function setup(): Office {
  return setUpOffice({ name: "Mairie de Dakar-Plateau", type: "town_hall", queues: QUEUES, countersPerQueue: COUNTERS_PER_QUEUE, queueName: "Service", citizens: CITIZENS, screens: true });
}

export function screen(office: Office): void {
  watchQueue(office.queues[worker() % QUEUES]!.id, office.displayToken!, CONNECT_SECONDS + SECONDS + DRAIN_SECONDS);
}

/** The day's i-th ticket, from the kiosk (the agent) or a citizen's phone. */
export function issue(office: Office): void {
  const i = exec.scenario.iterationInTest;
  const { fromKiosk, request } = officeDayTicket(i, office.queues[i % QUEUES]!.id);
  const res = send(request, fromKiosk ? office.agent : office.citizens[i % CITIZENS]);
  if (res.status >= 300) return;
  (fromKiosk ? kioskTime : mobileTime).add(res.timings.duration);
  ticketsAcknowledged.add(1);
}

export function poll(office: Office): void {
  const i = exec.scenario.iterationInTest;
  const res = send(queueStatus(office.queues[i % QUEUES]!.id), office.citizens[i % CITIZENS]);
  if (res.status === 200) statusTime.add(res.timings.duration);
}

/** Counter n of the day (queue by queue); nobody waiting: it calls again 250 ms later. */
export function counter(office: Office): void {
  const n = worker();
  const queue = office.queues[Math.floor(n / COUNTERS_PER_QUEUE)]!;
  const counterId = queue.counters[n % COUNTERS_PER_QUEUE]!;
  repeatFor(SECONDS, () => {
    if (serveNext(queue.id, counterId, office.agent, callNextTime, SERVICE_MS / 1000)) ticketsServed.add(1);
    else sleep(IDLE_COUNTER_MS / 1000);
  });
}
