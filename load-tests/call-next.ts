// Call-next on its own: queues filled beforehand, then agents at their counters call,
// start and complete tickets back to back (a closed loop per counter), nothing else
// running — the latency of a durable call-next, and how many one node with its database
// on the server core answers a second that way.
import { closedLoops } from "./lib/closed-loop.ts";
import { Latencies, timed } from "./lib/latency.ts";
import { costMeter } from "./lib/rig.ts";
import { ADMIN, api, startSystemUnderTest } from "./lib/system-under-test.ts";

export interface CallNextOptions {
  seconds: number;
  queues: number;
  countersPerQueue: number;
  /** Tickets waiting in each queue before the agents start. */
  backlog: number;
}

const PASSWORD = "passw0rd-load";

export async function callNextOnce(options: CallNextOptions) {
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  try {
    const { baseUrl } = sut;
    const admin = await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: ADMIN.phone, password: ADMIN.password });
    const org = await api(baseUrl, "POST", "/api/business/organizations/", { name: "Banque des guichets", type: "bank" }, admin.access);
    const agentPhone = "+221770000003";
    await api(baseUrl, "POST", "/api/accounts/users/", { phone: agentPhone, password: PASSWORD, role: "agent", organization_id: org.id }, admin.access);
    const agent = (await api(baseUrl, "POST", "/api/accounts/auth/login/", { phone: agentPhone, password: PASSWORD })).access;
    const counters: Array<{ queueId: string; counterId: string }> = [];
    for (let q = 0; q < options.queues; q++) {
      const queue = await api(baseUrl, "POST", "/api/queues/queues/", { organization_id: org.id, name: `File ${q}`, prefix: "C" }, admin.access);
      for (let c = 0; c < options.countersPerQueue; c++) {
        counters.push({ queueId: queue.id, counterId: (await api(baseUrl, "POST", `/api/queues/queues/${queue.id}/counters/`, { name: `Guichet ${c + 1}` }, admin.access)).id });
      }
      // Kiosk tickets issued by staff, a few at a time: the backlog the agents will work through.
      for (let i = 0; i < options.backlog; i += 10) {
        await Promise.all(Array.from({ length: Math.min(10, options.backlog - i) }, () => api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queue.id, channel: "kiosk" }, agent)));
      }
    }
    const latency = new Latencies();
    let served = 0;
    // A counter calls its next ticket only once the last one is done, so each turn is
    // call-next (measured), start and complete: three durable commands.
    const turn = ({ queueId, counterId }: { queueId: string; counterId: string }) => async () => {
      const called = await timed(latency, () => api(baseUrl, "POST", `/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, agent));
      await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/start/`, {}, agent);
      await api(baseUrl, "POST", `/api/queues/tickets/${called.id}/complete/`, {}, agent);
      served++;
    };
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    const elapsed = await closedLoops(options.seconds, counters.map(turn));
    return {
      calls_per_s: Math.round(latency.count / elapsed),
      commands_per_s: Math.round((3 * served) / elapsed),
      call_next: latency.summary(),
      costs: { node: node.stop(), database: database?.stop() ?? null },
    };
  } finally {
    await sut.stop();
  }
}
