// The hot path as history grows: the same office measured on an empty database and on one
// that holds a year of tickets (lib/history.ts writes them with insertMany: another office's
// 40 queues and 10,000 citizens, kept as a template in the cache, plus 100 past tickets of
// each of the bench's own citizens). On each system, three
// rounds of: issuance (citizens issuing back to back, the read model's lag sampled),
// call-next alone (20 counters calling, starting and completing what was issued), the
// lists people open all day ("my tickets" of citizens with a year behind them, staff's
// list of today's tickets), the projector catching up, and a failover (the owner of the
// office's queues SIGKILLed; time until a second node answers every queue's status).
// Each figure is the median of the rounds on that system; the ratio of the large size to
// the empty one is what the issue's "within 1.5×" is about.
//
//   npm run load:history -- [history=1000000] [rounds=3]
import { Types } from "mongoose";
import { closedLoops } from "./lib/closed-loop.ts";
import { anAgent, anOffice, citizens, someQueues } from "./lib/fixtures.ts";
import { historyTemplate, seedHistory } from "./lib/history.ts";
import { untilEveryQueueAnswers } from "./lib/failover.ts";
import { projectorCaughtUp, sampleProjectorLag } from "./lib/projector-lag.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { machine, pinSelfToLoadCore, round, sleep } from "./lib/rig.ts";
import { figure, repeat } from "./lib/runs.ts";
import { startDatabase } from "./lib/database.ts";
import { api, startNode, type NodeProcess } from "./lib/system-under-test.ts";
import { freePort } from "../scripts/mongo-server.ts";
import { NATS_URL } from "./lib/cluster.ts";

const QUEUES = 10;
const COUNTERS_PER_QUEUE = 2;
const ISSUERS = 32;
const ISSUE_SECONDS = 8;
/**
 * At most this many tickets a round. The rounds issue into the same day, and the staff
 * list reads all of it (on FerretDB about 0.3 s per 1,000 tickets): at `f2076d9` round 3's
 * 20,406 tickets listed in 6 to 8.7 s, and once issuance got faster its day of over
 * 25,000 took longer than the 10 s a request may, and the run stopped there.
 */
const TICKETS_PER_ROUND = 6_000;
const CALL_SECONDS = 8;
const LIST_SECONDS = 4;
/** A year of an issuer's tickets, as "my tickets" will list (3 of 5 history tickets are mobile). */
const PAST_TICKETS_PER_ISSUER = 100;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] history: ${line}`);

export async function historyOnce(historyTickets: number, rounds: number) {
  const template = historyTickets > 0 ? await historyTemplate(historyTickets, log) : null;
  const database = await startDatabase({ onServerCore: true, from: template ?? undefined });
  const namespace = `sq-history-${new Types.ObjectId().toHexString().slice(-8)}`;
  const metricsPort = await freePort();
  const env = (id: string, metrics: number) => ({ NATS_URL, NAMESPACE: namespace, NODE_ID: id, METRICS_PORT: String(metrics), SERVICES: "api,accounts,business,queues" });
  // The node under measurement is pinned with the database. The standby for the failover
  // joins only at the end: before, it would own half the queues, on the load core.
  let owner: NodeProcess | null = await startNode(database.url, env("history-owner", metricsPort), { onServerCore: true });
  let standby: NodeProcess | null = null;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  try {
    const baseUrl = `http://127.0.0.1:${owner.port}`;
    const office = await anOffice(baseUrl, "Banque historique");
    const agent = await anAgent(baseUrl, office);
    const queues = await someQueues(baseUrl, office, QUEUES, { counters: COUNTERS_PER_QUEUE });
    const tokens = await citizens(baseUrl, ISSUERS);
    const issuerIds = await Promise.all(tokens.map(async (token) => (await api(baseUrl, "GET", "/api/accounts/users/me/", undefined, token)).id as string));

    // The bench's own citizens get a year of tickets too ("my tickets" reads them); with a
    // template that is all there is left to write, without one (MONGO_URL) everything is.
    let seeded = null;
    if (historyTickets > 0) {
      const tickets = template ? ISSUERS * PAST_TICKETS_PER_ISSUER : historyTickets;
      log(`seeding ${tickets.toLocaleString("en-US")} tickets of history`);
      seeded = await seedHistory(database.url, { tickets, days: 365, queues: template ? 4 : 40, citizens: issuerIds, organizationId: office.organizationId });
      log(`seeded in ${seeded.seconds} s`);
    }

    // A 503 (the store did not answer within STORE_TIMEOUT_MS, or a request outlasted
    // REQUEST_TIMEOUT_MS) is counted, and the loop goes on.
    let refused = 0;
    const counted = async (call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (err) {
        if (!/: 503 /.test((err as Error).message)) throw err;
        refused++;
        await sleep(1000);
      }
    };

    const oneRound = async (r: number) => {
      refused = 0;
      log(`round ${r + 1}: issuance`);
      const issue = new Latencies();
      let issued = 0;
      const lag = sampleProjectorLag(metricsUrl);
      const issueElapsed = await closedLoops(
        ISSUE_SECONDS,
        tokens.map((token, n) => {
          let i = n;
          return async () => {
            if (issued >= TICKETS_PER_ROUND) return false;
            await counted(async () => {
              const queue = queues[i++ % QUEUES]!;
              await timed(issue, () => api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queue.id }, token));
              issued++;
            });
          };
        }),
      );
      const readModelLag = await lag.stop();
      const caughtUpMs = await projectorCaughtUp(metricsUrl);

      log(`round ${r + 1}: call-next alone`);
      const callNext = new Latencies();
      const counters = queues.flatMap((q) => q.counters.map((counterId) => ({ queueId: q.id, counterId })));
      const callElapsed = await closedLoops(
        CALL_SECONDS,
        counters.map(({ queueId, counterId }) => () =>
          counted(async () => {
            const called = await timed(callNext, () => api(baseUrl, "POST", `/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, agent, [200, 409]));
            if (!called?.id) return void (await sleep(50)); // this queue is empty
            await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/start/`, {}, agent);
            await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/complete/`, {}, agent);
          }),
        ),
      );

      log(`round ${r + 1}: lists`);
      const mine = new Latencies();
      const today = new Latencies();
      let m = 0;
      // The list reads all of today, whose size this round's issuance set (the rate differs
      // between runs): its time is also given per 1,000 tickets of the day.
      let dayTickets = 0;
      await closedLoops(LIST_SECONDS, [
        ...[0, 1].map(() => () => counted(() => timed(mine, () => api(baseUrl, "GET", "/api/queues/tickets/my/?page_size=20", undefined, tokens[m++ % ISSUERS])))),
        ...[0, 1].map(() => () => counted(() => timed(today, () => api(baseUrl, "GET", "/api/queues/tickets/?page_size=20", undefined, agent).then((page) => void (dayTickets = page.count))))),
      ]);
      const staffList = today.summary();
      return {
        tickets_per_s: Math.round(issued / issueElapsed),
        issue: issue.summary(),
        read_model_lag: readModelLag,
        projector_caught_up_ms: caughtUpMs,
        calls_per_s: Math.round(callNext.count / callElapsed),
        call_next: callNext.summary(),
        my_tickets: mine.summary(),
        staff_list_today: staffList,
        staff_list_day_tickets: dayTickets,
        staff_list_ms_per_1000_tickets: staffList.p50_ms !== null && dayTickets ? round((staffList.p50_ms * 1000) / dayTickets, 1) : null,
        answered_503: refused,
      };
    };
    const measured = await repeat(rounds, oneRound);

    log("failover: a standby joins, the owner is SIGKILLed; until the standby answers every queue");
    standby = await startNode(database.url, env("history-standby", await freePort()));
    const standbyUrl = `http://127.0.0.1:${standby.port}`;
    // Both nodes route by the same ring once each has seen the other.
    await eventuallyTrue(async () => (await fetch(`${standbyUrl}/api/queues/queues/${queues[0]!.id}/status/`, { headers: { authorization: `Bearer ${agent}` } })).status === 200);
    await sleep(2000);
    const killedAt = Date.now();
    owner.process.kill("SIGKILL");
    owner = null;
    const answers = (queueId: string) =>
      fetch(`${standbyUrl}/api/queues/queues/${queueId}/status/`, { headers: { authorization: `Bearer ${agent}` } }).then((res) => res.status === 200, () => false);
    const failoverMs = await untilEveryQueueAnswers(queues.map((queue) => queue.id), answers, killedAt, 50);
    // A status read is a view; a command proves the standby holds the lease (appends).
    const commandAfter = await api(standbyUrl, "POST", "/api/queues/tickets/", { queue_id: queues[0]!.id }, tokens[0]).then(() => true, () => false);

    const at = (pick: (r: (typeof measured)[number]) => number | null) => figure(measured.map(pick));
    return {
      history_tickets: historyTickets,
      seeded,
      tickets_per_s: at((r) => r.tickets_per_s),
      issue_p50_ms: at((r) => r.issue.p50_ms),
      call_next_p50_ms: at((r) => r.call_next.p50_ms),
      call_next_p99_ms: at((r) => r.call_next.p99_ms),
      calls_per_s: at((r) => r.calls_per_s),
      my_tickets_p50_ms: at((r) => r.my_tickets.p50_ms),
      staff_list_p50_ms: at((r) => r.staff_list_today.p50_ms),
      staff_list_day_tickets: at((r) => r.staff_list_day_tickets),
      staff_list_ms_per_1000_tickets: at((r) => r.staff_list_ms_per_1000_tickets),
      read_model_lag_p99_ms: at((r) => r.read_model_lag.p99_ms),
      projector_caught_up_ms: at((r) => r.projector_caught_up_ms),
      answered_503: measured.reduce((sum, r) => sum + r.answered_503, 0),
      failover_ms: failoverMs,
      command_after_failover: commandAfter,
      rounds: measured,
    };
  } finally {
    await owner?.stop();
    await standby?.stop();
    await database.stop();
  }
}

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error("the standby never answered");
    await sleep(100);
  }
}

/** Both sizes, and each figure of the large one as a ratio of the empty one's. */
export async function historyComparison(sizes: number[], rounds: number) {
  const results = [];
  for (const size of sizes) {
    log(`system with ${size.toLocaleString("en-US")} tickets of history`);
    results.push(await historyOnce(size, rounds));
  }
  const [empty, ...grown] = results;
  const keys = ["tickets_per_s", "issue_p50_ms", "call_next_p50_ms", "call_next_p99_ms", "my_tickets_p50_ms", "staff_list_p50_ms", "staff_list_ms_per_1000_tickets", "read_model_lag_p99_ms"] as const;
  const ratios = grown.map((r) => ({
    history_tickets: r.history_tickets,
    ...Object.fromEntries(keys.map((k) => [k, empty![k].median && r[k].median !== null ? round(r[k].median! / empty![k].median!, 2) : null])),
    failover_ms: r.failover_ms && empty!.failover_ms ? round(r.failover_ms / empty!.failover_ms, 2) : null,
  }));
  return { sizes: results, ratios_to_empty: ratios };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  pinSelfToLoadCore();
  historyComparison([0, Number(process.argv[2] ?? 1_000_000)], Number(process.argv[3] ?? 3))
    .then((result) => console.log(JSON.stringify({ ...result, machine: machine() }, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
