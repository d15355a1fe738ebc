// Live gateway restart: N screens watch M queues on a node that runs only the live
// service; the queues live on another node (both on the server core, over NATS), and
// tickets are issued through its REST gateway all along, so every update is a real,
// durable one. The live node is stopped (its screens get 1001) and started again on the
// same port; screens come back as displays do (retry with backoff) asking to resume from
// the version they hold, and get the deltas they missed or, where the restarted node was
// not keeping them, a fresh snapshot. Measured: socket lost → back (resumed or fresh
// snapshot) per screen (p50/p99/max), how many resumed, how long until the last screen
// is back, and — once the issuing stops — how many screens do not hold their queue's
// final version (an update missed), and snapshots older than what a screen already had.
import { randomUUID } from "node:crypto";
import { ReceiverPool } from "./displays/receiver-pool.ts";
import { NATS_URL } from "./lib/cluster.ts";
import { startDatabase } from "./lib/database.ts";
import { startPaced, type Paced } from "./lib/paced.ts";
import { freePort } from "../scripts/mongo-server.ts";
import { ADMITTING, readyAfterIn, type StartStage } from "../services/live/metrics.ts";
import { coreMeter, listenOverflows, quietSockets, round, sleep, timeWaitSockets } from "./lib/rig.ts";
import { anOffice, aScreenToken, citizens, someQueues } from "./lib/fixtures.ts";
import { api, startNode, type NodeProcess } from "./lib/system-under-test.ts";

export interface RestartOptions {
  screens: number;
  queues: number;
  /** Tickets issued per second through the REST gateway while it all happens. */
  updatesPerSecond: number;
  receivers: number;
  /**
   * A hand-over instead of a cold restart: the new process starts on the same port (both
   * listen, SO_REUSEPORT) and only then is the old one stopped, closing its sockets this
   * many per second (WS_HAND_OVER_PER_SECOND; services/live/hand-over.ts).
   */
  handOverPerSecond?: number;
}

const ALL_BACK_TIMEOUT_MS = 60_000;
const STATUS_RETRIES = 30;

export async function restartOnce(options: RestartOptions) {
  const timeWaitBefore = await quietSockets();
  const timeWaitAtStart = timeWaitSockets();
  const database = await startDatabase({ onServerCore: true });
  const cluster = { NATS_URL, NAMESPACE: `bench-restart-${randomUUID().slice(0, 8)}` };
  const nodes: NodeProcess[] = [];
  const pool = new ReceiverPool(options.receivers);
  let issuing: Paced | null = null;
  try {
    const core = await startNode(database.url, { ...cluster, SERVICES: "api,accounts,business,queues" }, { onServerCore: true });
    nodes.push(core);
    const handOver: Record<string, string> = options.handOverPerSecond ? { WS_HAND_OVER_PER_SECOND: String(options.handOverPerSecond) } : {};
    const startGateway = async (wsPort = 0, env: Record<string, string> = {}) => {
      const gateway = await startNode(database.url, { ...cluster, SERVICES: "live", ...handOver, ...env }, { onServerCore: true, wsPort });
      nodes.push(gateway);
      return gateway;
    };
    let gateway = await startGateway();
    const baseUrl = `http://127.0.0.1:${core.port}`;
    const office = await anOffice(baseUrl, "Banque du redémarrage");
    const queueIds = (await someQueues(baseUrl, office, options.queues)).map((q) => q.id);
    const display = await aScreenToken(baseUrl, office);
    const phones = await citizens(baseUrl, 16);

    const client = { protocol: "smartqueue" as const, base: `ws://127.0.0.1:${gateway.wsPort}`, token: display };
    const connected = await pool.connect(client, queueIds, options.screens, { reconnect: true });
    if (connected.ready < options.screens * 0.99) throw new Error(`restart: only ${connected.ready} of ${options.screens} screens connected (${connected.firstError})`);

    // Issuance all along, so there are updates to miss while screens are away.
    issuing = startPaced(options.updatesPerSecond, 32, (i) =>
      api(baseUrl, "POST", "/api/queues/tickets/", { queue_id: queueIds[i % queueIds.length] }, phones[i % phones.length]),
    );
    await sleep(3000);
    await pool.reset();

    const cores = coreMeter();
    const overflowsBefore = listenOverflows();
    // The new process's own clock says when it listened and admitted (its metrics).
    const metricsPort = await freePort();
    let stopAt: number;
    let stopSeconds: number;
    let restartSeconds: number;
    let listeningSeconds: number;
    const old = gateway;
    if (options.handOverPerSecond) {
      // The successor first; the old process is stopped once the successor admits sockets.
      const startedAt = performance.now();
      gateway = await startGateway(old.wsPort, { METRICS_PORT: String(metricsPort) });
      await admitting(metricsPort, gateway);
      listeningSeconds = (performance.now() - startedAt) / 1000;
      stopAt = performance.now();
      await old.stop();
      stopSeconds = (performance.now() - stopAt) / 1000;
      restartSeconds = 0;
    } else {
      stopAt = performance.now();
      await old.stop();
      stopSeconds = (performance.now() - stopAt) / 1000;
      gateway = await startGateway(old.wsPort, { METRICS_PORT: String(metricsPort) });
      listeningSeconds = gateway.readyMs / 1000;
      restartSeconds = (performance.now() - stopAt) / 1000;
    }
    nodes.splice(nodes.indexOf(old), 1);
    let lastAway = Infinity;
    while ((lastAway = (await pool.report()).away) > 0 && performance.now() - stopAt < ALL_BACK_TIMEOUT_MS) await sleep(200);
    const allBackSeconds = (performance.now() - stopAt) / 1000;
    const coresBusy = cores.stop();
    const overflows = listenOverflows() - overflowsBefore;
    const startedAfter = await readyAfter(metricsPort);
    // Screens still away would keep the nodes saturated while the final versions are read:
    // they give up (and count as behind).
    if (lastAway > 0) await pool.giveUp();

    await sleep(3000);
    const issued = await issuing.stop();
    issuing = null;
    await sleep(1500); // the last deltas reach the screens
    // Read with retries: after the storm of re-admissions the queues' node may still answer
    // 503 for a while (its circuit breaker); how long it took is reported.
    const finalVersions: Record<string, number> = {};
    let statusRetries = 0;
    for (const queueId of queueIds) {
      for (;;) {
        try {
          finalVersions[queueId] = (await api(baseUrl, "GET", `/api/queues/queues/${queueId}/status/`, undefined, office.admin)).version;
          break;
        } catch (err) {
          if (++statusRetries > STATUS_RETRIES) throw err;
          await sleep(1000);
        }
      }
    }
    const behind = await pool.behind(finalVersions);
    const received = await pool.report();
    return {
      screens: connected.ready,
      tickets_issued: issued.started - issued.failed,
      issue_failures: issued.failed,
      status_retries: statusRetries,
      /** Sockets in TIME_WAIT (left by earlier runs) when this run was due, and when it started after waiting for them to clear. */
      time_wait_before: timeWaitBefore,
      time_wait_at_start: timeWaitAtStart,
      /** How long nothing listened: from the old process told to stop until the new one listened (0 in a hand-over). */
      gateway_restart_s: round(restartSeconds, 2),
      /** The old process stopping: its screens get 1001 (at once, or in waves in a hand-over), then it exits. */
      gateway_stop_s: round(stopSeconds, 2),
      /** The new process, from spawned until a connect to its port got through (in a hand-over: until it admits sockets, before the old one is stopped). */
      gateway_listening_s: round(listeningSeconds, 2),
      /** The same by the new process's own clock (its metrics): from its start until it listened, and until it admitted sockets. */
      gateway_listened_after_s: startedAfter.listening,
      gateway_admitting_after_s: startedAfter.admitting,
      /** Connections the kernel dropped for a full accept queue from the stop until the last screen was back (uWebSockets.js listens with a backlog of 512): each costs its screen a second. */
      listen_overflows: overflows,
      all_back_s: lastAway === 0 ? round(allBackSeconds, 2) : null,
      all_back_limit_s: ALL_BACK_TIMEOUT_MS / 1000,
      /** Screens admitted again per second once the new gateway listened (in a hand-over: since the old one was told to stop). */
      readmissions_per_s: round(connected.ready / Math.max(0.001, allBackSeconds - restartSeconds)),
      /** How busy each core was from the stop until the last screen was back (all processes). */
      cores: coresBusy,
      still_away: lastAway,
      resync_p50_ms: received.resync.percentile(50),
      resync_p99_ms: received.resync.percentile(99),
      resync_max_ms: round(received.resync.max),
      resynced: received.resync.count,
      /** Of the screens back, those that resumed from their version instead of taking a snapshot. */
      resumed: received.resumed,
      screens_behind_final_version: behind,
      snapshot_regressions: received.regressions,
      gaps_seen: received.gaps,
      /** Why screens' open sockets closed, by close code: 1001 is the gateway stopping; more closes than screens means some were lost again once back. */
      close_codes: received.closeCodes,
      /** Reconnection attempts refused with an HTTP status (e.g. 503 while the queues' node is unreachable). */
      refused_upgrades: received.refusals,
    };
  } finally {
    await issuing?.stop();
    await pool.close();
    for (const node of nodes.reverse()) await node.stop();
    await database.stop();
  }
}

/** When the node's live port listened and admitted, in seconds after its process started (null if it does not say). */
async function readyAfter(metricsPort: number): Promise<Record<StartStage, number | null>> {
  const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => "");
  const at = (stage: StartStage) => {
    const seconds = readyAfterIn(metrics, stage);
    return seconds === null ? null : round(seconds, 2);
  };
  return { listening: at("listening"), admitting: at("admitting") };
}

/** Until the node says it admits sockets: a connect to its WS_PORT may reach its predecessor. */
async function admitting(metricsPort: number, node: NodeProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  const saysSo = new RegExp(`^${ADMITTING}(\\{[^}]*\\})? 1$`, "m");
  while (Date.now() < deadline) {
    if (node.process.exitCode !== null) throw new Error(`restart: the new live node exited with ${node.process.exitCode}`);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => "");
    if (saysSo.test(metrics)) return;
    await sleep(20);
  }
  throw new Error("restart: the new live node does not admit sockets after 30 s");
}
