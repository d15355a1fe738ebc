// Citizens issuing tickets while agents call them — the scenario of the Node harness
// load-tests/tickets.ts (`npm run load:tickets`), against a deployment you point it at.
// ISSUERS issuers issue back to back (each the next ticket once the last is answered),
// round robin over QUEUES queues of one counter each, each taking turns with its
// CITIZENS_PER_ISSUER citizens, while one agent per queue calls, starts and completes
// (AGENTS=off: issuance alone). With TICKETS_PER_SECOND, tickets are issued at that rate
// whatever the answers (paced), in the order the issuers would issue them, and an agent
// with nobody waiting calls again after 250 ms, as in the office day (else 20 ms). A
// ticket is answered only once it is durable, so `issue` is the durable issuance latency.
//
//   k6 run -e BASE_URL=https://… -e ADMIN_PHONE=… -e ADMIN_PASSWORD=… load-tests/k6/tickets.ts
//   settings: SECONDS=20 ISSUERS=32 QUEUES=20 AGENTS=on CITIZENS_PER_ISSUER=1 TICKETS_PER_SECOND=0 (0: closed loops)
//
// Reading it: `tickets_acknowledged` (its rate is tickets/s over the whole run, the
// harness's tickets_per_s), `issue` and `call_next` (p50/p99: the harness's issue and
// call_next), `tickets_served`. The thresholds fail the run on more than 1% of requests
// failed. What the harness adds and k6 cannot see: the server's CPU and memory, the read
// model's lag, and every acknowledged ticket looked up in the database.
import { sleep } from "k6";
import { Trend } from "k6/metrics";
import type { Options } from "k6/options";
import exec from "k6/execution";
import { IDLE_COUNTER_MS } from "../lib/office-day-mix.ts";
import { issueMobileTicket } from "../lib/public-api.ts";
import { serveNext } from "./lib/counter.ts";
import { count, text } from "./lib/env.ts";
import { send } from "./lib/http.ts";
import { callNextTime, TREND_STATS, ticketsAcknowledged, ticketsServed } from "./lib/metrics.ts";
import { closedLoops, paced, repeatFor, worker } from "./lib/scenarios.ts";
import { setUpOffice, type Office } from "./lib/office.ts";

const SECONDS = count("SECONDS", 20);
const ISSUERS = count("ISSUERS", 32);
const QUEUES = count("QUEUES", 20);
const AGENTS = text("AGENTS", "on") !== "off";
const CITIZENS_PER_ISSUER = count("CITIZENS_PER_ISSUER", 1);
const TICKETS_PER_SECOND = count("TICKETS_PER_SECOND", 0);

const issueTime = new Trend("issue", true);

export const options: Options = {
  setupTimeout: "10m",
  summaryTrendStats: TREND_STATS,
  scenarios: {
    issuers: TICKETS_PER_SECOND ? paced("pacedTicket", TICKETS_PER_SECOND, SECONDS, 0) : closedLoops("issuer", ISSUERS, SECONDS),
    ...(AGENTS ? { agents: closedLoops("agent", QUEUES, SECONDS) } : {}),
  },
  thresholds: { http_req_failed: ["rate<0.01"] },
};

export function setup(): Office {
  return setUpOffice({ name: "Banque de charge", type: "bank", queues: QUEUES, countersPerQueue: 1, queueName: "File", citizens: ISSUERS * CITIZENS_PER_ISSUER, screens: false });
}

/** Issuer n's k-th ticket: in queue n + k×ISSUERS, for citizen n + (k mod CITIZENS_PER_ISSUER)×ISSUERS, as the harness's. */
function issueAs(office: Office, n: number, k: number): void {
  const queue = office.queues[(n + k * ISSUERS) % QUEUES]!;
  const citizen = office.citizens[n + (k % CITIZENS_PER_ISSUER) * ISSUERS];
  const res = send(issueMobileTicket(queue.id), citizen);
  if (res.status !== 201 && res.status !== 200) return;
  issueTime.add(res.timings.duration);
  ticketsAcknowledged.add(1);
}

export function issuer(office: Office): void {
  const n = worker();
  let k = 0;
  repeatFor(SECONDS, () => issueAs(office, n, k++));
}

/** The i-th paced ticket: the one the issuers would issue i-th, issuer i mod ISSUERS's. */
export function pacedTicket(office: Office): void {
  const i = exec.scenario.iterationInTest;
  issueAs(office, i % ISSUERS, Math.floor(i / ISSUERS));
}

/** The agent at queue n's counter; nobody waiting yet: wait as the harness does. */
export function agent(office: Office): void {
  const queue = office.queues[worker()]!;
  repeatFor(SECONDS, () => {
    if (serveNext(queue.id, queue.counters[0]!, office.agent, callNextTime)) ticketsServed.add(1);
    else sleep((TICKETS_PER_SECOND ? IDLE_COUNTER_MS : 20) / 1000);
  });
}
