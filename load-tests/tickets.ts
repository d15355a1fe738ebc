// Durable ticket issuance through the REST gateway, single node: citizens issue tickets
// while agents call, start and complete them. Every ticket is acknowledged only once it
// is in the journal (group commit); the read model follows behind, and its lag is sampled
// from the node's metrics during the run. At the end every acknowledged ticket is looked
// up in the read model, once the projector has caught up (or 60 s have passed).
// Prints JSON: tickets/s and the latency percentiles of issue and call-next, with the CPU
// and memory of the node and of the database (both on the server core when pinned).
//
//   npm run load:tickets -- [seconds=20] [issuers=32] [queues=20] [agents|alone] [citizens per issuer=1] [tickets/s] [warm-up seconds=0]
//   (alone: issuance only; with more citizens per issuer, each issuer takes turns with its
//   own, so that the tickets come from many citizens, as in an office, not a few; with a
//   rate, tickets are issued at that rate (open loop) instead of by closed loops)
import mongoose from "mongoose";
import { closedLoops } from "./lib/closed-loop.ts";
import { IDLE_COUNTER_MS } from "./lib/office-day-mix.ts";
import { startPaced } from "./lib/paced.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { costMeter, machine, pinSelfToLoadCore, sleep } from "./lib/rig.ts";
import { anAgent, anOffice, citizens, someQueues } from "./lib/fixtures.ts";
import { callNext as callNextRequest, completeTicket, issueMobileTicket, startTicket } from "./lib/public-api.ts";
import { send, sendForStatus, startSystemUnderTest } from "./lib/system-under-test.ts";
import { sampleProjectorLag } from "./lib/projector-lag.ts";
import { freePort } from "../scripts/mongo-server.ts";

export interface TicketsOptions {
  seconds: number;
  issuers: number;
  queues: number;
  /** One agent per queue calling, starting and completing tickets; off: issuance alone. */
  agents: boolean;
  /** Citizens each issuer takes turns with (1: every ticket of an issuer is its one citizen's). */
  citizensPerIssuer?: number;
  /**
   * Tickets issued at this rate whatever the answers (open loop, at most `issuers` in
   * flight), in the order the closed loops would issue them, instead of back to back. A
   * closed loop measures saturation: its latency is its clients' number divided by what the
   * core gets through (Little's law), whatever the rig's client count; a paced rate asks how
   * fast call-next is while the node issues that many tickets a second.
   */
  issuedPerSecond?: number;
  /**
   * Seconds of the same load before `seconds` are measured. A fresh node's first seconds
   * are not an office's day: at 37 tickets/s paced, call-next's p50 was 17.4 and 45.6 ms
   * over the first 10 s and 9.5 and 10.9 ms over the first 20 and 40 s (the code compiled
   * as it runs, each day collection made at its first write, every actor activated).
   */
  warmUpSeconds?: number;
}

/** How long a counter with nobody waiting waits before calling again: as busy as can be
 * against closed loops; as the office day's counters wait (250 ms) at a paced rate, where
 * counters are mostly idle and 20 of them calling every 20 ms would be 1,000 empty calls a
 * second, a load no office makes. */
const idleCounterMs = (paced: boolean) => (paced ? IDLE_COUNTER_MS : 20);

export async function ticketsOnce({ seconds, issuers, queues: queueCount, agents, citizensPerIssuer = 1, issuedPerSecond, warmUpSeconds = 0 }: TicketsOptions) {
  if (!Number.isInteger(citizensPerIssuer) || citizensPerIssuer < 1) throw new Error(`citizens per issuer must be a whole number from 1, not ${citizensPerIssuer}`);
  if (issuedPerSecond !== undefined && !(issuedPerSecond > 0)) throw new Error(`tickets per second must be above 0, not ${issuedPerSecond}`);
  if (!(warmUpSeconds >= 0)) throw new Error(`warm-up seconds must be 0 or more, not ${warmUpSeconds}`);
  const paced = issuedPerSecond !== undefined;
  const metricsPort = await freePort();
  const sut = await startSystemUnderTest({ METRICS_PORT: String(metricsPort) }, { onServerCore: true, databaseOnServerCore: true });
  try {
    const { baseUrl } = sut;
    const office = await anOffice(baseUrl, "Banque de charge");
    const agent = await anAgent(baseUrl, office);
    const queues = (await someQueues(baseUrl, office, queueCount, { counters: 1 })).map(({ id, counters }) => ({ id, counter: counters[0]! }));
    const tokens = await citizens(baseUrl, issuers * citizensPerIssuer);

    let issue = new Latencies();
    let callNext = new Latencies();
    const acked: string[] = [];
    let served = 0;
    let nobodyWaiting = 0;
    // Issuer n's k-th ticket: in queue n + k × issuers, for citizen n + (k mod citizensPerIssuer) × issuers.
    const issueAs = async (n: number, k: number) => {
      const queue = queues[(n + k * issuers) % queueCount]!;
      const citizen = tokens[n + (k % citizensPerIssuer) * issuers];
      const ticket = await timed(issue, () => send(baseUrl, issueMobileTicket(queue.id), citizen));
      acked.push(ticket.id);
    };
    const issuer = (n: number) => {
      let k = 0;
      return () => issueAs(n, k++);
    };
    const counter = (queue: { id: string; counter: string }) => async () => {
      const started = performance.now();
      const { status, body: called } = await sendForStatus(baseUrl, callNextRequest(queue.id, queue.counter), agent);
      if (status !== 200) {
        nobodyWaiting++;
        return void (await sleep(idleCounterMs(paced))); // nobody waiting yet
      }
      callNext.add(performance.now() - started);
      await send(baseUrl, startTicket(called.id), agent);
      await send(baseUrl, completeTicket(called.id), agent);
      served++;
    };
    // Paced, the i-th ticket is the one the closed loops would issue i-th: issuer i mod issuers's.
    const pacing = paced ? startPaced(issuedPerSecond, issuers, (i) => issueAs(i % issuers, Math.floor(i / issuers))) : null;
    const loops = closedLoops(warmUpSeconds + seconds, [...(paced ? [] : Array.from({ length: issuers }, (_, n) => issuer(n))), ...(agents ? queues.map(counter) : [])]);
    let ackedBefore = 0;
    if (warmUpSeconds) {
      await sleep(warmUpSeconds * 1000);
      [issue, callNext, served, nobodyWaiting, ackedBefore] = [new Latencies(), new Latencies(), 0, 0, acked.length];
    }
    const measuredFrom = performance.now();
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    const lag = sampleProjectorLag(`http://127.0.0.1:${metricsPort}/metrics`);
    await loops;
    const elapsed = (performance.now() - measuredFrom) / 1000;
    const pacedRun = await pacing?.stop();
    if (pacedRun?.failed) throw new Error(`${pacedRun.failed} of ${pacedRun.started} paced tickets were refused`);
    const costs = { node: node.stop(), database: database?.stop() ?? null };
    const readModelLag = await lag.stop();

    const db = await mongoose.createConnection(sut.mongoUrl).asPromise();
    const loadEnded = performance.now();
    const countStored = () => db.collection("tickets").countDocuments({ _id: { $in: acked as never[] } });
    let stored = await countStored();
    while (stored < acked.length && performance.now() - loadEnded < 60_000) {
      await sleep(200);
      stored = await countStored();
    }
    const caughtUpMs = Math.round(performance.now() - loadEnded);
    await db.close();
    return {
      scenario: `${agents ? "tickets issued, called and completed" : "tickets issued"}${paced ? `, ${issuedPerSecond} tickets/s asked` : ""}`,
      issued_per_s_asked: issuedPerSecond ?? null,
      seconds: Math.round(elapsed * 10) / 10,
      warm_up_seconds: warmUpSeconds,
      issuers,
      queues: queueCount,
      tickets_acknowledged: acked.length - ackedBefore,
      tickets_per_s: Math.round((acked.length - ackedBefore) / elapsed),
      tickets_served: served,
      calls_per_s: Math.round(callNext.count / elapsed),
      nobody_waiting_per_s: Math.round(nobodyWaiting / elapsed),
      issue: issue.summary(),
      call_next: callNext.summary(),
      acknowledged_but_missing: acked.length - stored,
      read_model_lag: readModelLag,
      read_model_caught_up_after_load_ms: caughtUpMs,
      costs,
    };
  } finally {
    await sut.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore();
  ticketsOnce({ seconds: Number(process.argv[2] ?? 20), issuers: Number(process.argv[3] ?? 32), queues: Number(process.argv[4] ?? 20), agents: process.argv[5] !== "alone", citizensPerIssuer: Number(process.argv[6] ?? 1), ...(process.argv[7] !== undefined && { issuedPerSecond: Number(process.argv[7]) }), warmUpSeconds: Number(process.argv[8] ?? 0) })
    .then((result) => {
      console.log(JSON.stringify({ ...result, machine: machine() }, null, 2));
      if (result.acknowledged_but_missing !== 0) process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
