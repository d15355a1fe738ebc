// Citizens issuing tickets while agents call them — the scenario of the Node harness
// load-tests/tickets.ts (`npm run load:tickets`), against a deployment you point it at.
// ISSUERS issuers issue back to back (each the next ticket once the last is answered),
// round robin over QUEUES queues of one counter each, each taking turns with its
// CITIZENS_PER_ISSUER citizens, while one agent per queue calls, starts and completes
// (AGENTS=off: issuance alone). A ticket is answered only once it is
// durable, so `issue` is the durable issuance latency.
//
//   k6 run -e BASE_URL=https://… -e ADMIN_PHONE=… -e ADMIN_PASSWORD=… load-tests/k6/tickets.ts
//   settings: SECONDS=20 ISSUERS=32 QUEUES=20 AGENTS=on CITIZENS_PER_ISSUER=1
//
// Reading it: `tickets_acknowledged` (its rate is tickets/s over the whole run, the
// harness's tickets_per_s), `issue` and `call_next` (p50/p99: the harness's issue and
// call_next), `tickets_served`. The thresholds fail the run on more than 1% of requests
// failed. What the harness adds and k6 cannot see: the server's CPU and memory, the read
// model's lag, and every acknowledged ticket looked up in the database.
import { sleep } from "k6";
import { Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { issueMobileTicket } from "../lib/public-api.ts";
import { serveNext } from "./lib/counter.ts";
import { count, text } from "./lib/env.ts";
import { send } from "./lib/http.ts";
import { callNextTime, TREND_STATS, ticketsAcknowledged, ticketsServed } from "./lib/metrics.ts";
import { closedLoops, repeatFor, worker } from "./lib/scenarios.ts";
import { setUpOffice, type Office } from "./lib/office.ts";

const SECONDS = count("SECONDS", 20);
const ISSUERS = count("ISSUERS", 32);
const QUEUES = count("QUEUES", 20);
const AGENTS = text("AGENTS", "on") !== "off";
const CITIZENS_PER_ISSUER = count("CITIZENS_PER_ISSUER", 1);

const issueTime = new Trend("issue", true);

export const options: Options = {
  setupTimeout: "10m",
  summaryTrendStats: TREND_STATS,
  scenarios: {
    issuers: closedLoops("issuer", ISSUERS, SECONDS),
    ...(AGENTS ? { agents: closedLoops("agent", QUEUES, SECONDS) } : {}),
  },
  thresholds: { http_req_failed: ["rate<0.01"] },
};

export function setup(): Office {
  return setUpOffice({ name: "Banque de charge", type: "bank", queues: QUEUES, countersPerQueue: 1, queueName: "File", citizens: ISSUERS * CITIZENS_PER_ISSUER, screens: false });
}

/** Issuer n issues in queues n, n+ISSUERS, … for citizens n, n+ISSUERS, … in turn, as the harness's issuer n does. */
export function issuer(office: Office): void {
  const n = worker();
  let k = 0;
  repeatFor(SECONDS, () => {
    const queue = office.queues[(n + k * ISSUERS) % QUEUES]!;
    const citizen = office.citizens[n + (k % CITIZENS_PER_ISSUER) * ISSUERS];
    k++;
    const res = send(issueMobileTicket(queue.id), citizen);
    if (res.status !== 201 && res.status !== 200) return;
    issueTime.add(res.timings.duration);
    ticketsAcknowledged.add(1);
  });
}

/** The agent at queue n's counter; nobody waiting yet: wait 20 ms, as the harness does. */
export function agent(office: Office): void {
  const queue = office.queues[worker()]!;
  repeatFor(SECONDS, () => {
    if (serveNext(queue.id, queue.counters[0]!, office.agent, callNextTime)) ticketsServed.add(1);
    else sleep(0.02);
  });
}
