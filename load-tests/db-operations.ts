// Counts the database commands behind one ticket issued and one call-next, start and
// complete, through the REST gateway of an in-process node on a fresh database: those made
// while the request was in flight (the acknowledgement path, and whatever ran beside it)
// and those after the answer, until the node has been quiet for a while (projection,
// notifications). Then the operations per ticket issued in a busy office (`busy_office`:
// citizens issuing back to back into many queues while their counters call, start and
// complete), and with issuance alone (`issuance_only`). The scheduler's own polling is left out. Prints JSON: per request,
// operations by method and collection, and the documents batches carried (an insertMany
// of 25 is one operation and 25 documents; any other operation counts one): FerretDB's
// cost goes by documents.
//
//   npm run load:db-operations
import { loadConfig } from "../config/index.ts";
import { startNode } from "../services/node.ts";
import { freePort } from "../scripts/mongo-server.ts";
import { startDatabase } from "./lib/database.ts";
import { anAgent, anOffice, aQueue, citizens } from "./lib/fixtures.ts";
import { sleep } from "./lib/rig.ts";
import { ADMIN, api } from "./lib/system-under-test.ts";

const QUIET_MS = 500;
const BUSY = { citizens: 32, queues: 20, seconds: 10 };
const SCHEDULER_COLLECTIONS = new Set(["agendaJobs", "scheduled_calls", "job_runs"]);

const mongo = await startDatabase({ onServerCore: false });
const port = await freePort();
const config = loadConfig({
  NODE_ENV: "test", PORT: String(port), WS_PORT: String(await freePort()), METRICS_PORT: "0", MONGO_URL: mongo.url,
  LOG_LEVEL: "warn", AUTH_RATE_LIMIT: "1000000", ADMIN_PHONE: ADMIN.phone, ADMIN_PASSWORD: ADMIN.password,
});
const node = await startNode(config, mongo.url);
try {
  const baseUrl = `http://127.0.0.1:${port}`;
  while ((await fetch(`${baseUrl}/health/ready`).then((r) => r.status, () => 0)) !== 200) await sleep(50);
  const office = await anOffice(baseUrl, "Banque de comptage");
  const agent = await anAgent(baseUrl, office);
  const queue = await aQueue(baseUrl, office, "File", 1);
  const [citizen] = await citizens(baseUrl, 1);

  let seen: string[] = [];
  /** Documents behind each of `seen`: a batch's length, else 1. */
  let documents: number[] = [];
  // Every operation the services make through mongoose, on both of the node's connections
  // (the answers' own, and the one written behind them); the scheduler's Agenda backend
  // goes through the driver directly and is not counted.
  for (const connection of [node.db, node.behind]) {
    connection.set("debug", (collection: string, method: string, batch: unknown) => {
      if (SCHEDULER_COLLECTIONS.has(collection)) return;
      seen.push(`${method} ${collection}`);
      documents.push(Array.isArray(batch) ? batch.length : 1);
    });
  }
  const sum = (counts: number[]) => counts.reduce((total, n) => total + n, 0);
  const tally = (commands: string[]) => Object.fromEntries([...new Set(commands)].map((c) => [c, commands.filter((x) => x === c).length]));

  async function measure(request: () => Promise<unknown>) {
    [seen, documents] = [[], []];
    await request();
    const duringRequest = seen.length;
    for (let quiet = seen.length; ; quiet = seen.length) {
      await sleep(QUIET_MS);
      if (seen.length === quiet) break;
    }
    return {
      during_request: duringRequest,
      after_answer: seen.length - duringRequest,
      documents_during_request: sum(documents.slice(0, duringRequest)),
      documents_after_answer: sum(documents.slice(duringRequest)),
      operations_during_request: tally(seen.slice(0, duringRequest)),
      operations_after_answer: tally(seen.slice(duringRequest)),
    };
  }

  const issue = () => api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queue.id }, citizen);
  const step = (id: string, path: string) => api(baseUrl, "POST", `/api/queues/tickets/${id}/${path}/`, {}, agent);
  const callNext = () => api(baseUrl, "POST", `/api/queues/queues/${queue.id}/call-next/`, { counter_id: queue.counters[0] }, agent);
  // Warm: the queue's actor active, caches filled, as in a running office.
  const warm = await issue();
  await callNext();
  await step(warm.id, "start");
  await step(warm.id, "complete");

  /**
   * Operations per ticket issued in a busy office: BUSY.citizens issuing back to back into
   * BUSY.queues queues while a counter of each calls, starts and completes, for BUSY.seconds;
   * without counters, issuance alone (as the bench's issuance runs), by other citizens.
   */
  async function busyOffice({ counters }: { counters: boolean }) {
    const queues = await Promise.all(Array.from({ length: BUSY.queues }, (_, q) => aQueue(baseUrl, office, `Affluence ${q}`, 1)));
    const tokens = await citizens(baseUrl, BUSY.citizens, counters ? 1 : 1 + BUSY.citizens);
    [seen, documents] = [[], []];
    let issued = 0;
    let served = 0;
    const until = Date.now() + BUSY.seconds * 1000;
    await Promise.all([
      ...tokens.map(async (token, i) => {
        for (let n = i; Date.now() < until; n++, issued++) await api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queues[n % queues.length]!.id }, token);
      }),
      ...(counters ? queues : []).map(async (q) => {
        while (Date.now() < until) {
          const called = await api(baseUrl, "POST", `/api/queues/queues/${q.id}/call-next/`, { counter_id: q.counters[0] }, agent, [200, 409]);
          // 409: nobody waiting (the body is the error); poll again as the harnesses do.
          if (!called?.id) { await sleep(20); continue; }
          for (const path of ["start", "complete"]) await step(called.id, path);
          served++;
        }
      }),
    ]);
    await sleep(3 * QUIET_MS);
    // Day collections under one name: the day changes nothing of what is written.
    const perTicketOf = (counted: Array<[string, number]>) => {
      const byName = new Map<string, number>();
      for (const [op, n] of counted) {
        const name = op.replace(/_\d{4}_\d{2}_\d{2}/, "_DAY");
        byName.set(name, (byName.get(name) ?? 0) + n);
      }
      return Object.fromEntries([...byName].sort((a, b) => b[1] - a[1]).map(([op, n]) => [op, Math.round((n / issued) * 100) / 100]));
    };
    return {
      ...BUSY, issued, served, operations: seen.length, per_ticket_issued: perTicketOf(seen.map((op) => [op, 1])),
      documents_per_ticket_issued: Math.round((sum(documents) / issued) * 100) / 100,
      documents_per_ticket_issued_by_operation: perTicketOf(seen.map((op, i) => [op, documents[i]!])),
    };
  }

  let ticketId = "";
  const result = {
    issue: await measure(async () => (ticketId = (await issue()).id)),
    call_next: await measure(callNext),
    start: await measure(() => step(ticketId, "start")),
    complete: await measure(() => step(ticketId, "complete")),
  };
  const busy = await busyOffice({ counters: true });
  console.log(JSON.stringify({ ...result, busy_office: busy, issuance_only: await busyOffice({ counters: false }) }, null, 2));
} finally {
  await node.stop();
  await mongo.stop();
}
process.exit(0); // the stopped broker's timers would keep the process alive
