// Durable ticket issuance through the REST gateway, single node: citizens issue tickets
// while agents call, start and complete them. Every ticket is acknowledged only once it
// is in MongoDB (group commit); at the end every acknowledged ticket is looked up there.
// Prints JSON: tickets/s and the latency percentiles of issue and call-next.
//
//   npm run load:tickets -- [seconds=20] [issuers=32] [queues=20]
import os from "node:os";
import mongoose from "mongoose";
import { Latencies, timed } from "./lib/latency.ts";
import { ADMIN, api, startSystemUnderTest } from "./lib/system-under-test.ts";

const SECONDS = Number(process.argv[2] ?? 20);
const ISSUERS = Number(process.argv[3] ?? 32);
const QUEUES = Number(process.argv[4] ?? 20);
const PASSWORD = "passw0rd-load";

async function main() {
  const sut = await startSystemUnderTest();
  try {
    const { baseUrl } = sut;
    const admin = await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: ADMIN.phone, password: ADMIN.password });
    const org = await api(baseUrl, "POST", "/api/business/organizations/", { name: "Banque de charge", type: "bank" }, admin.access);
    const agentPhone = "+221770000001";
    await api(baseUrl, "POST", "/api/accounts/users/", { phone: agentPhone, password: PASSWORD, role: "agent", organization_id: org.id }, admin.access);
    const agent = await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: agentPhone, password: PASSWORD });
    const queues: Array<{ id: string; counter: string }> = [];
    for (let i = 0; i < QUEUES; i++) {
      const queue = await api(baseUrl, "POST", "/api/queues/queues/", { organization_id: org.id, name: `File ${i}`, prefix: "L" }, admin.access);
      const counter = await api(baseUrl, "POST", `/api/queues/queues/${queue.id}/counters/`, { name: "Guichet" }, admin.access);
      queues.push({ id: queue.id, counter: counter.id });
    }
    const citizens: Array<{ access: string }> = [];
    for (let i = 0; i < ISSUERS; i++) {
      citizens.push(await api(baseUrl, "POST", "/api/accounts/auth/register/", { phone: `+22178${String(i).padStart(7, "0")}`, password: PASSWORD }));
    }

    const issue = new Latencies();
    const callNext = new Latencies();
    const acked: string[] = [];
    let served = 0;
    let running = true;
    const issuer = async (n: number) => {
      for (let i = n; running; i += ISSUERS) {
        const queue = queues[i % QUEUES]!;
        const ticket = await timed(issue, () => api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queue.id }, citizens[n].access));
        acked.push(ticket.id);
      }
    };
    const counter = async (queue: { id: string; counter: string }) => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${baseUrl}/api/queues/queues/${queue.id}/call-next/`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${agent.access}` },
          body: JSON.stringify({ counter_id: queue.counter }),
        });
        const called = await res.json();
        if (res.status !== 200) {
          await new Promise((resolve) => setTimeout(resolve, 20)); // nobody waiting yet
          continue;
        }
        callNext.add(performance.now() - started);
        await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/start/`, {}, agent.access);
        await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/complete/`, {}, agent.access);
        served++;
      }
    };
    const began = performance.now();
    const work = [...citizens.map((_, n) => issuer(n)), ...queues.map(counter)];
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    running = false;
    await Promise.all(work);
    const elapsed = (performance.now() - began) / 1000;

    const db = await mongoose.createConnection(sut.mongoUrl).asPromise();
    const stored = await db.collection("tickets").countDocuments({ _id: { $in: acked as never[] } });
    await db.close();
    console.log(
      JSON.stringify(
        {
          scenario: "tickets",
          seconds: Math.round(elapsed * 10) / 10,
          issuers: ISSUERS,
          queues: QUEUES,
          tickets_acknowledged: acked.length,
          tickets_per_s: Math.round(acked.length / elapsed),
          tickets_served: served,
          issue: issue.summary(),
          call_next: callNext.summary(),
          acknowledged_but_missing: acked.length - stored,
          machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
        },
        null,
        2,
      ),
    );
    if (stored !== acked.length) process.exitCode = 1;
  } finally {
    await sut.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
