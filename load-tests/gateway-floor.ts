// What one request costs the node before any ticket is touched: 32 signed-in citizens
// read a queue's definition back to back (GET /api/queues/queues/{id}/: the gateway,
// the bearer token checked by the accounts service, zod, a cached lookup, the JSON
// answer), on the same rig as `tickets`. Durable issuance's node CPU per ticket, set
// against this, is what the ticket itself costs: the actor, the journal, the projection
// and the listeners of its change.
// `npm run load:gateway-floor -- [seconds=10]`; JSON on stdout.
import { closedLoops } from "./lib/closed-loop.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { costMeter, machine, pinSelfToLoadCore } from "./lib/rig.ts";
import { anOffice, citizens, someQueues } from "./lib/fixtures.ts";
import { send, startSystemUnderTest } from "./lib/system-under-test.ts";

const CLIENTS = 32;
const QUEUES = 20;
/** Seconds of the same load first: caches filled, code compiled. */
const WARM_UP_S = 2;

export async function gatewayFloorOnce(seconds: number) {
  if (!(seconds > 0)) throw new Error(`seconds must be a positive number, not ${seconds}`);
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  try {
    const office = await anOffice(sut.baseUrl, "Plancher");
    const queues = await someQueues(sut.baseUrl, office, QUEUES);
    const tokens = await citizens(sut.baseUrl, CLIENTS);
    let latencies = new Latencies();
    let answered = 0;
    const reader = (n: number) => {
      let k = n;
      return async () => {
        const { id } = queues[k++ % QUEUES]!;
        await timed(latencies, () => send(sut.baseUrl, { method: "GET", path: `/api/queues/queues/${id}/`, route: "/api/queues/queues/{id}/" }, tokens[n]));
        answered++;
      };
    };
    const loops = Array.from({ length: CLIENTS }, (_, n) => reader(n));
    await closedLoops(WARM_UP_S, loops);
    [latencies, answered] = [new Latencies(), 0];
    const node = costMeter(sut.server.pid!);
    const elapsed = await closedLoops(seconds, loops);
    const cost = node.stop();
    return {
      scenario: "a signed-in read of a queue, back to back",
      requests_per_s: Math.round(answered / elapsed),
      node_cpu_ms_per_request: Math.round((cost.cpu_s / answered) * 1e6) / 1000,
      latency: latencies.summary(),
      costs: { node: cost },
    };
  } finally {
    await sut.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore();
  console.log(JSON.stringify({ ...(await gatewayFloorOnce(Number(process.argv[2] ?? 10))), machine: machine() }, null, 1));
  process.exit(0);
}
