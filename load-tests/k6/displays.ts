// Office screens subscribed to their queues' live channel — the screen side of the Node
// harness load-tests/displays.ts (`npm run bench:displays`), against a deployment you
// point it at. SCREENS screens over QUEUES queues connect with a display token (the
// token in the URL, as screens send it) during CONNECT_SECONDS; then for SECONDS updates
// come at RATE a second, round robin over the queues. The harness publishes its updates
// inside the cluster (queue.changed over NATS), which a deployment does not open to the
// outside: here each update is a real kiosk ticket issued through the REST API by the
// branch's agent, so RATE is also a rate of durable issuance the deployment must sustain.
//
//   k6 run -e BASE_URL=https://… -e WS_URL=wss://… -e ADMIN_PHONE=… -e ADMIN_PASSWORD=… load-tests/k6/displays.ts
//   settings: SCREENS=1000 QUEUES=20 RATE=100 SECONDS=10 CONNECT_SECONDS=10
//             SCREEN_P99_MS=10 (threshold: the project's goal at 100 updates/s, docs/BENCHMARKS.md)
//
// Reading it: `screen_delay` p50/p99 is publish→screen (the harness's latency, from each
// delta's `sent_at`: see lib/screen.ts on clocks); `screen_updates` against
// `updates_published` × SCREENS / QUEUES says whether every screen kept up;
// `screen_gaps` and `screens_dropped` must stay 0 (thresholds); `screen_snapshot` is how
// long a screen waited for its first snapshot. The deployment's WS_MAX_SOCKETS_PER_ADDRESS
// (1,000 by default) caps the screens one k6 machine may open on a node.
import { Counter } from "k6/metrics";
import type { Options } from "k6/options";
import exec from "k6/execution";
import { issueKioskTicket } from "../lib/public-api.ts";
import { count } from "./lib/env.ts";
import { send } from "./lib/http.ts";
import { TREND_STATS } from "./lib/metrics.ts";
import { closedLoops, paced, worker } from "./lib/scenarios.ts";
import { setUpOffice, type Office } from "./lib/office.ts";
import { watchQueue } from "./lib/screen.ts";

const SCREENS = count("SCREENS", 1000);
const QUEUES = count("QUEUES", 20);
const RATE = count("RATE", 100);
const SECONDS = count("SECONDS", 10);
const CONNECT_SECONDS = count("CONNECT_SECONDS", 10);
/** Deltas still on their way when the updates stop. */
const DRAIN_SECONDS = 1;

const published = new Counter("updates_published");

export const options: Options = {
  setupTimeout: "10m",
  summaryTrendStats: TREND_STATS,
  scenarios: {
    screens: closedLoops("screen", SCREENS, CONNECT_SECONDS + SECONDS + DRAIN_SECONDS),
    updates: paced("update", RATE, SECONDS, CONNECT_SECONDS),
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    screen_delay: [`p(99)<${count("SCREEN_P99_MS", 10)}`],
    screen_gaps: ["count==0"],
    screens_dropped: ["count==0"],
  },
};

export function setup(): Office {
  return setUpOffice({ name: "Banque des écrans", type: "bank", queues: QUEUES, countersPerQueue: 0, queueName: "File", citizens: 0, screens: true });
}

/** Screen n watches queue n mod QUEUES until the updates are over. */
export function screen(office: Office): void {
  watchQueue(office.queues[worker() % QUEUES]!.id, office.displayToken!, CONNECT_SECONDS + SECONDS + DRAIN_SECONDS);
}

export function update(office: Office): void {
  const queue = office.queues[exec.scenario.iterationInTest % QUEUES]!;
  if (send(issueKioskTicket(queue.id), office.agent).status < 300) published.add(1);
}
