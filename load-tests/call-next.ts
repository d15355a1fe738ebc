// Call-next on its own: queues filled beforehand, then agents at their counters call,
// start and complete tickets back to back (a closed loop per counter), nothing else
// running — the latency of a durable call-next, and how many one node with its database
// on the server core answers a second that way.
// `npm run load:call-next -- [seconds=10]`: one run of the bench's full scenario; JSON on stdout.
import { closedLoops } from "./lib/closed-loop.ts";
import { Latencies } from "./lib/latency.ts";
import { costMeter, pinSelfToLoadCore } from "./lib/rig.ts";
import { anAgent, anOffice, aQueue } from "./lib/fixtures.ts";
import { callNext, completeTicket, issueKioskTicket, startTicket } from "./lib/public-api.ts";
import { send, startSystemUnderTest } from "./lib/system-under-test.ts";

export interface CallNextOptions {
  seconds: number;
  queues: number;
  countersPerQueue: number;
  /** Tickets waiting in each queue before the agents start. */
  backlog: number;
}

/**
 * The bench's scenario: 10 queues × 2 counters, 800 tickets waiting in each: enough that
 * no counter runs out within the 10 s (at 300 each, every run at `24d9968` had called all
 * 3,000 after 8.6 to 9.5 s, the last seconds with fewer counters in flight; at 500 each,
 * runs with the load client of `lib/http-client.ts` called all 5,000 too).
 */
export const CALL_NEXT_FULL: CallNextOptions = { seconds: 10, queues: 10, countersPerQueue: 2, backlog: 800 };
export const CALL_NEXT_QUICK: CallNextOptions = { seconds: 4, queues: 10, countersPerQueue: 2, backlog: 40 };

export async function callNextOnce(options: CallNextOptions) {
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  try {
    const { baseUrl } = sut;
    const office = await anOffice(baseUrl, "Banque des guichets");
    const agent = await anAgent(baseUrl, office);
    const counters: Array<{ queueId: string; counterId: string }> = [];
    for (let q = 0; q < options.queues; q++) {
      const queue = await aQueue(baseUrl, office, `File ${q}`, options.countersPerQueue);
      for (const counterId of queue.counters) counters.push({ queueId: queue.id, counterId });
      // Kiosk tickets issued by staff, a few at a time: the backlog the agents will work through.
      for (let i = 0; i < options.backlog; i += 10) {
        await Promise.all(Array.from({ length: Math.min(10, options.backlog - i) }, () => send(baseUrl, issueKioskTicket(queue.id), agent)));
      }
    }
    const latency = new Latencies();
    let served = 0;
    let drained = 0;
    // A counter calls its next ticket only once the last one is done, so each turn is
    // call-next (measured), start and complete: three durable commands.
    const turn = ({ queueId, counterId }: { queueId: string; counterId: string }) => async () => {
      const started = performance.now();
      const called = await send(baseUrl, callNext(queueId, counterId), agent, [200, 409]);
      if (!called?.id) {
        // Its queue's backlog is worked through: this counter stops, and the report says
        // so, since the calls per second then undercount what the node could answer.
        drained++;
        return false;
      }
      latency.add(performance.now() - started);
      await send(baseUrl, startTicket(called.id), agent);
      await send(baseUrl, completeTicket(called.id), agent);
      served++;
      return true;
    };
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    const elapsed = await closedLoops(options.seconds, counters.map(turn));
    return {
      calls_per_s: Math.round(latency.count / elapsed),
      counters_out_of_tickets: drained,
      commands_per_s: Math.round((3 * served) / elapsed),
      call_next: latency.summary(),
      costs: { node: node.stop(), database: database?.stop() ?? null },
    };
  } finally {
    await sut.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore(); // as the bench runs it: the counters on the load core
  console.log(JSON.stringify(await callNextOnce({ ...CALL_NEXT_FULL, seconds: Number(process.argv[2] ?? CALL_NEXT_FULL.seconds) }), null, 1));
  process.exit(0);
}
