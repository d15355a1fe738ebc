// Office day: one node (and its database) on the server core serving a compressed busy
// morning of a branch — kiosk tickets (60%, one in ten for an elderly citizen) and mobile
// tickets (40%), agents at two counters per queue calling, starting and completing, mobile
// clients polling their queue's status (three polls per ticket), and screens watching
// every queue. Measured at once: latency of each request kind, commit→screen latency of
// the real deltas (`sent_at` is stamped by the queue's owner when it publishes), the rates
// reached, the node's and the database's CPU and memory, and every acknowledged ticket
// looked up in the database at the end. Appointment check-ins are not part of it yet.
import mongoose from "mongoose";
import { freePort } from "../scripts/mongo-server.ts";
import { ReceiverPool } from "./displays/receiver-pool.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { startPaced } from "./lib/paced.ts";
import { sampleProjectorLag } from "./lib/projector-lag.ts";
import { costMeter, round, sleep } from "./lib/rig.ts";
import { anAgent, anOffice, aScreenToken, citizens, someQueues } from "./lib/fixtures.ts";
import { CITIZENS, COUNTERS_PER_QUEUE, IDLE_COUNTER_MS, officeDayTicket, POLLS_PER_TICKET, SERVICE_MS } from "./lib/office-day-mix.ts";
import { callNext as callNextRequest, completeTicket, queueStatus, startTicket } from "./lib/public-api.ts";
import { send, sendForStatus, startSystemUnderTest } from "./lib/system-under-test.ts";

export interface OfficeDayOptions {
  seconds: number;
  ticketsPerSecond: number;
  queues: number;
  screensPerQueue: number;
}

export async function officeDayOnce(options: OfficeDayOptions) {
  const metricsPort = await freePort();
  const sut = await startSystemUnderTest({ METRICS_PORT: String(metricsPort) }, { onServerCore: true, databaseOnServerCore: true });
  const pool = new ReceiverPool(1);
  try {
    const { baseUrl } = sut;
    const office = await anOffice(baseUrl, "Mairie de Dakar-Plateau", "town_hall");
    const agent = await anAgent(baseUrl, office);
    const queues = await someQueues(baseUrl, office, options.queues, { counters: COUNTERS_PER_QUEUE, name: "Service" });
    const phones = await citizens(baseUrl, CITIZENS);
    const display = await aScreenToken(baseUrl, office);
    const screens = options.queues * options.screensPerQueue;
    await pool.connect({ protocol: "smartqueue", base: sut.wsUrl, token: display }, queues.map((q) => q.id), screens);

    const kiosk = new Latencies();
    const mobile = new Latencies();
    const status = new Latencies();
    const callNext = new Latencies();
    const acked: string[] = [];
    let served = 0;
    const issue = async (i: number) => {
      const queue = queues[i % queues.length]!;
      const { fromKiosk, request } = officeDayTicket(i, queue.id);
      const ticket = await timed(fromKiosk ? kiosk : mobile, () => send(baseUrl, request, fromKiosk ? agent : phones[i % phones.length]));
      acked.push(ticket.id);
    };
    const poll = (i: number) => timed(status, () => send(baseUrl, queueStatus(queues[i % queues.length]!.id), phones[i % phones.length]));
    let open = true;
    const counter = async (queueId: string, counterId: string) => {
      while (open) {
        const started = performance.now();
        const { status, body: called } = await sendForStatus(baseUrl, callNextRequest(queueId, counterId), agent);
        if (status !== 200) {
          await sleep(IDLE_COUNTER_MS); // nobody waiting
          continue;
        }
        callNext.add(performance.now() - started);
        await send(baseUrl, startTicket(called.id), agent);
        await sleep(SERVICE_MS);
        await send(baseUrl, completeTicket(called.id), agent);
        served++;
      }
    };

    await pool.reset();
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    const lag = sampleProjectorLag(`http://127.0.0.1:${metricsPort}/metrics`);
    const agents = queues.flatMap((q) => q.counters.map((c) => counter(q.id, c)));
    const issuing = startPaced(options.ticketsPerSecond, 64, issue);
    const polling = startPaced(options.ticketsPerSecond * POLLS_PER_TICKET, 64, poll);
    await sleep(options.seconds * 1000);
    const [issued, polled] = await Promise.all([issuing.stop(), polling.stop()]);
    open = false;
    await Promise.all(agents);
    const costs = { node: node.stop(), database: database?.stop() ?? null };
    const readModelLag = await lag.stop();
    await sleep(500);
    const seen = await pool.report();

    const db = await mongoose.createConnection(sut.mongoUrl).asPromise();
    const stored = await db.collection("tickets").countDocuments({ _id: { $in: acked as never[] } });
    await db.close();
    const p = (l: Latencies) => ({ p50_ms: l.summary().p50_ms, p99_ms: l.summary().p99_ms });
    return {
      seconds: round(issued.seconds, 1),
      tickets_per_s: round(acked.length / issued.seconds, 1),
      polls_per_s: round((polled.started - polled.failed) / polled.seconds, 1),
      served_per_s: round(served / issued.seconds, 1),
      failed_requests: issued.failed + polled.failed,
      kiosk: p(kiosk),
      mobile: p(mobile),
      status_poll: p(status),
      call_next: p(callNext),
      read_model_lag: readModelLag,
      screens,
      screen_updates: seen.deliveries,
      screen_p50_ms: seen.latency.percentile(50),
      screen_p99_ms: seen.latency.percentile(99),
      screen_gaps: seen.gaps,
      screens_dropped: seen.closed,
      acknowledged_but_missing: acked.length - stored,
      costs,
    };
  } finally {
    await pool.close();
    await sut.stop();
  }
}
