// Broker settings, chosen on purpose. One node with everything in-process by default;
// NATS when NATS_URL is set, so nodes can be added horizontally.
import os from "node:os";
import type { BrokerOptions } from "moleculer";
import type { Config } from "./config/index.ts";
import { callLog } from "./config/broker/call-log.ts";
import { eventLoopLag } from "./config/broker/event-loop-lag.ts";
import { LocalFirstStrategy } from "./config/broker/local-first-strategy.ts";
import { PromptDiscoverer } from "./config/broker/prompt-discoverer.ts";
import { requestMetrics } from "./config/broker/request-metrics.ts";
import "./config/broker/quantile-snapshot.ts";

/**
 * What the circuit breaker counts against a node: a failure of the node itself (a timeout,
 * a crash, an unexpected 5xx), not an answer it gave on purpose — a 4xx, a queue that moved
 * to another owner, a busy database (503 store_busy), an unconfigured or failing provider.
 * Counting those opened the breaker on healthy nodes during a failover.
 */
const ANSWERS = new Set(["queue_moved", "store_busy", "service_unavailable", "channel_not_configured", "provider_failed"]);
export function isNodeFailure(err: Error & { code?: number; type?: string }): boolean {
  if (err.type && ANSWERS.has(err.type)) return false;
  return !err.code || err.code >= 500;
}

const withoutUnset = (options: object) => Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));

const DISCOVERY_WAIT_MS = 500;
const LIVE_ONLY_DISCOVERY_WAIT_MS = 50;
const liveOnly = (config: Config) => config.services.length === 1 && config.services[0] === "live";

export function brokerOptions(config: Config): BrokerOptions {
  return {
    namespace: config.namespace,
    nodeID: config.nodeId ?? `${os.hostname()}-${process.pid}`,
    // Credentials and TLS from NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_TLS_*: only nodes
    // that hold them join the cluster and may call its internal actions. The servers go as
    // `servers`, not `url`: from a `url` Moleculer's transporter overwrites `user` and `pass`
    // with the URL's own (none).
    transporter: config.natsUrl ? { type: "NATS", options: { servers: config.natsUrl.split(","), ...withoutUnset(config.nats) } } : undefined,
    // JSON lines through pino: one object per line, with nodeID and service bindings.
    logger: { type: "Pino", options: { level: config.logLevel, pino: { options: { base: null } } } },
    logLevel: config.logLevel,
    // Requests from the gateway carry their own timeout (REQUEST_TIMEOUT_MS); this is the
    // ceiling for calls between services.
    requestTimeout: config.requestTimeoutMs,
    // Only idempotent reads would be safe to retry blindly, and callers know which those
    // are; so no broker-wide retries (a retried ticket issue must go through its key).
    retryPolicy: { enabled: false },
    // A node whose calls keep failing is skipped for a while instead of timing every caller out.
    circuitBreaker: {
      enabled: true,
      threshold: 0.5,
      minRequestCount: 20,
      windowTime: 60,
      halfOpenTime: 10_000,
      check: isNodeFailure,
    },
    // Heartbeats every 0.3 s; a node silent for 1 s is declared dead (checked every
    // 150 ms with millisecond clocks: config/broker/prompt-discoverer.ts). A node killed
    // without a goodbye is noticed within about 1.2 s, so the queues it owned are served
    // by a survivor within 3 s even on a loaded machine (their actors reload from MongoDB
    // in a few round trips). A node that merely stalls for 1 s is declared dead too: that
    // is safe, because queue writes are fenced (actors/host/store.ts); it only moves work.
    heartbeatInterval: 0.3,
    heartbeatTimeout: 1,
    // Local endpoints first (no network hop for gateway → accounts), except queue-actor
    // calls, which set the Shard strategy on their own action (services/queues).
    registry: { strategy: LocalFirstStrategy, preferLocal: false, discoverer: new PromptDiscoverer() },
    // Actions that declare `cache` (queues.queueById, the db mixin's byId lookups, the
    // template lookup) are remembered per node for their ttl; the events that change what
    // they answer clean the entries on every node (mixins/cache-cleaner.mixin.ts).
    cacher: "Memory",
    // Built-in fastest-validator is off: every action validates its own input with zod.
    validator: false,
    // The registry is always on: GET /api/analytics/performance/ reads every node's through
    // $node.metrics. Prometheus serves it only when METRICS_PORT is set.
    metrics: {
      enabled: true,
      reporter: config.metricsPort > 0 ? [{ type: "Prometheus", options: { port: config.metricsPort, host: config.host, path: "/metrics" } }] : [],
    },
    tracing: { enabled: false },
    // A stopping node lets what its services are doing finish first (up to 10 s each):
    // the commands being answered, and the work events started, which Moleculer otherwise
    // leaves running while the node closes its database under it — a citizen's SMS sent
    // but its delivery never settled, so that the retry scheduled for a node dying
    // mid-send sent it a second time (test/notifications/graceful-stop.test.ts).
    tracking: { enabled: true, shutdownTimeout: 10_000 },
    // How long the transit waits after connecting for the other nodes' INFO before the
    // node's services start (scripts/patch-moleculer.sh; Moleculer's fixed 500 ms without
    // the patch). A node of live channels only starts sooner: its screens wait on it after
    // a restart, and it admits them once the services it calls are listed anyway.
    transit: { discoveryWaitMs: liveOnly(config) ? LIVE_ONLY_DISCOVERY_WAIT_MS : DISCOVERY_WAIT_MS } as BrokerOptions["transit"],
    // Moleculer's own middlewares in its own order, but its Metrics replaced by a leaner
    // one (config/broker/request-metrics.ts) and Tracing, which is off, left out.
    internalMiddlewares: false,
    middlewares: [
      eventLoopLag(),
      ...(["debug", "trace"].includes(config.logLevel) ? [callLog] : []),
      ...["ActionHook", "Validator", "Bulkhead", "Cacher", "ContextTracker", "CircuitBreaker", "Timeout", "Retry", "Fallback", "ErrorHandler"],
      requestMetrics(),
      ...["Debounce", "Throttle"],
    ],
  };
}
