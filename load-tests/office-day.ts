// Office day: one node (and its database) on the server core serving a compressed busy
// morning of a branch — kiosk tickets (60%, one in ten for an elderly citizen) and mobile
// tickets (40%), agents at two counters per queue calling, starting and completing, mobile
// clients polling their queue's status (three polls per ticket), and screens watching
// every queue. Measured at once: latency of each request kind, commit→screen latency of
// the real deltas (`sent_at` is stamped by the queue's owner when it publishes), the rates
// reached, the node's and the database's CPU and memory, and every acknowledged ticket
// looked up in the database at the end. Appointment check-ins are not part of it yet.
import mongoose from "mongoose";
import { ReceiverPool } from "./displays/receiver-pool.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { startPaced } from "./lib/paced.ts";
import { costMeter, round, sleep } from "./lib/rig.ts";
import { ADMIN, api, startSystemUnderTest } from "./lib/system-under-test.ts";

export interface OfficeDayOptions {
  seconds: number;
  ticketsPerSecond: number;
  queues: number;
  screensPerQueue: number;
}

const PASSWORD = "passw0rd-load";
const COUNTERS_PER_QUEUE = 2;
const POLLS_PER_TICKET = 3;
/** A ticket's service, compressed: the agent starts it, waits this long, completes it. */
const SERVICE_MS = 400;

export async function officeDayOnce(options: OfficeDayOptions) {
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  const pool = new ReceiverPool(1);
  try {
    const { baseUrl } = sut;
    const admin = await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: ADMIN.phone, password: ADMIN.password });
    const org = await api(baseUrl, "POST", "/api/business/organizations/", { name: "Mairie de Dakar-Plateau", type: "town_hall" }, admin.access);
    const branch = await api(baseUrl, "POST", "/api/business/branches/", { organization_id: org.id, name: "État civil" }, admin.access);
    const agentPhone = "+221770000002";
    await api(baseUrl, "POST", "/api/accounts/users/", { phone: agentPhone, password: PASSWORD, role: "agent", organization_id: org.id }, admin.access);
    const agent = (await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: agentPhone, password: PASSWORD })).access;
    const queues: Array<{ id: string; counters: string[] }> = [];
    for (let i = 0; i < options.queues; i++) {
      const queue = await api(baseUrl, "POST", "/api/queues/queues/", { organization_id: org.id, branch_id: branch.id, name: `Service ${i}`, prefix: "ABCDEFGHIJ"[i % 10] }, admin.access);
      const counters: string[] = [];
      for (let c = 0; c < COUNTERS_PER_QUEUE; c++) counters.push((await api(baseUrl, "POST", `/api/queues/queues/${queue.id}/counters/`, { name: `Guichet ${c + 1}` }, admin.access)).id);
      queues.push({ id: queue.id, counters });
    }
    const citizens: string[] = [];
    for (let i = 0; i < 20; i++) citizens.push((await api(baseUrl, "POST", "/api/accounts/auth/register/", { phone: `+22175${String(i).padStart(7, "0")}`, password: PASSWORD })).access);
    const display = await api(baseUrl, "POST", "/api/accounts/display-tokens/", { branch_id: branch.id, name: "Écran hall" }, admin.access);
    const screens = options.queues * options.screensPerQueue;
    await pool.connect({ protocol: "smartqueue", base: sut.wsUrl, token: display.token }, queues.map((q) => q.id), screens);

    const kiosk = new Latencies();
    const mobile = new Latencies();
    const status = new Latencies();
    const callNext = new Latencies();
    const acked: string[] = [];
    let served = 0;
    const issue = async (i: number) => {
      const queue = queues[i % queues.length]!;
      const fromKiosk = i % 5 < 3;
      const body = fromKiosk ? { queue_id: queue.id, channel: "kiosk", priority: i % 10 === 0 ? "elderly" : "normal" } : { queue_id: queue.id };
      const ticket = await timed(fromKiosk ? kiosk : mobile, () => api(baseUrl, "POST", "/api/queues/tickets/", body, fromKiosk ? agent : citizens[i % citizens.length]));
      acked.push(ticket.id);
    };
    const poll = (i: number) => timed(status, () => api(baseUrl, "GET", `/api/queues/queues/${queues[i % queues.length]!.id}/status/`, undefined, citizens[i % citizens.length]));
    let open = true;
    const counter = async (queueId: string, counterId: string) => {
      while (open) {
        const started = performance.now();
        const res = await fetch(`${baseUrl}/api/queues/queues/${queueId}/call-next/`, {
          method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${agent}` }, body: JSON.stringify({ counter_id: counterId }),
        });
        const called = await res.json();
        if (res.status !== 200) {
          await sleep(250); // nobody waiting
          continue;
        }
        callNext.add(performance.now() - started);
        await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/start/`, {}, agent);
        await sleep(SERVICE_MS);
        await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/complete/`, {}, agent);
        served++;
      }
    };

    await pool.reset();
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    const agents = queues.flatMap((q) => q.counters.map((c) => counter(q.id, c)));
    const issuing = startPaced(options.ticketsPerSecond, 64, issue);
    const polling = startPaced(options.ticketsPerSecond * POLLS_PER_TICKET, 64, poll);
    await sleep(options.seconds * 1000);
    const [issued, polled] = await Promise.all([issuing.stop(), polling.stop()]);
    open = false;
    await Promise.all(agents);
    const costs = { node: node.stop(), database: database?.stop() ?? null };
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
