// Live trackers (/ws/tracker/{code}): kiosk tickets waiting in one queue, the last T of them
// each followed by a phone, while an agent calls, starts and completes the ones ahead.
// Each call moves every ticket behind it, so every follower must hear of it: measured is
// the time from sending the call until the last follower still waiting got its new place
// (beside the call's own answer), and the node's CPU per turn of call, start and complete
// (the channel reads every followed ticket again at each change): run it with 1 follower
// for the turn's cost without them.
//
//   npx tsx load-tests/trackers.ts [followers=200] [calls=30]   (after npm run build)
import WebSocket from "ws";
import { anAgent, anOffice, aQueue } from "./lib/fixtures.ts";
import { Latencies } from "./lib/latency.ts";
import { callNext, completeTicket, issueKioskTicket, startTicket } from "./lib/public-api.ts";
import { costMeter } from "./lib/rig.ts";
import { api, send, startSystemUnderTest } from "./lib/system-under-test.ts";

interface Follower {
  socket: WebSocket;
  position: number | null;
  changed: () => void;
}

export async function trackersOnce(followers: number, calls: number) {
  const sut = await startSystemUnderTest({}, { onServerCore: true });
  const open: Follower[] = [];
  try {
    const { baseUrl, wsUrl } = sut;
    const office = await anOffice(baseUrl, "Agence suivie");
    const agent = await anAgent(baseUrl, office);
    const queue = await aQueue(baseUrl, office, "Caisse", 1);
    // The tickets called come first: every call then moves every follower.
    for (let i = 0; i < calls; i++) await send(baseUrl, issueKioskTicket(queue.id), agent);
    for (let i = 0; i < followers; i++) {
      const ticket = await send(baseUrl, issueKioskTicket(queue.id), agent);
      const { code } = await api(baseUrl, "POST", `/api/queues/tickets/${ticket.id}/tracker/`, undefined, agent, [200]);
      open.push(await aFollower(`${wsUrl}/ws/tracker/${code}`));
    }
    const answered = new Latencies();
    const moved = new Latencies();
    const node = costMeter(sut.server.pid!);
    for (let c = 0; c < calls; c++) {
      const waiting = open.filter((f) => f.position !== null);
      const heard = waiting.map((f) => new Promise<void>((resolve) => (f.changed = resolve)));
      const sent = performance.now();
      const called = await send(baseUrl, callNext(queue.id, queue.counters[0]!), agent);
      answered.add(performance.now() - sent);
      await Promise.all(heard);
      moved.add(performance.now() - sent);
      await send(baseUrl, startTicket(called.id), agent);
      await send(baseUrl, completeTicket(called.id), agent);
    }
    const cost = node.stop();
    return { followers, calls, call_answered: answered.summary(), all_followers_moved: moved.summary(), node: cost, node_cpu_ms_per_turn: Math.round((cost.cpu_s * 1000) / calls) };
  } finally {
    for (const follower of open) follower.socket.terminate();
    await sut.stop();
  }
}

function aFollower(url: string): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const follower: Follower = { socket: new WebSocket(url, ["smartqueue"]), position: null, changed: () => {} };
    follower.socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.type !== "tracked") return;
      const first = follower.position === null && message.ticket.position !== null;
      follower.position = message.ticket.status === "waiting" ? message.ticket.position : null;
      if (first) resolve(follower);
      else follower.changed();
    });
    follower.socket.on("error", reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [followers = 200, calls = 30] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await trackersOnce(followers, calls), null, 2));
}
