// services/live: live channels over uWebSockets.js. Every node runs its own server and
// hears every `queue.changed` broadcast, so a client connected to any node sees every
// queue: deltas go to the queue's topic (coalesced per tick), calls and "turn near" to
// the users they concern; a user's recorded locations to those who follow them here; a
// tracked ticket's place to the phones following it by its code.
import type { ServiceSchema } from "moleculer";
import type { NodeDeps } from "../node-deps.ts";
import { Coalescer } from "./coalescer.ts";
import { Credentials, type Call } from "./credentials.ts";
import { DashboardChannel } from "./dashboard-channel.ts";
import { deltaOf } from "./delta.ts";
import { DeltaRing } from "./delta-ring.ts";
import { LocationChannel } from "./location-channel.ts";
import { liveMetrics } from "./metrics.ts";
import { MonitorBoards } from "./monitor-boards.ts";
import { NotificationChannel, userTopic } from "./notification-channel.ts";
import { OrgMonitorChannel } from "./org-monitor-channel.ts";
import { QueueChannel } from "./queue-channel.ts";
import { TrackerChannel } from "./tracker-channel.ts";
import { QueueFeeds } from "./queue-feeds.ts";
import { listener } from "../events.ts";
import { knownByPeers } from "./known-by-peers.ts";
import { LiveServer } from "./server.ts";

interface Live {
  server: LiveServer;
  credentials: Credentials;
  feeds: QueueFeeds;
  recent: DeltaRing;
  coalescer: Coalescer;
  notifications: NotificationChannel;
  locations: LocationChannel;
  trackers: TrackerChannel;
  monitors: MonitorBoards;
}

/** How long a starting node waits for the other nodes to know it (and to know them) before it admits screens anyway. */
const PEERS_KNOW_US_WITHIN_MS = 5000;
/** Who a token belongs to, and the queues' views. */
const CALLED_AT_ADMISSION = ["accounts", "queues"];

export default function liveService({ config }: NodeDeps): ServiceSchema {
  let live: Live | undefined;
  let listening: Promise<void> = Promise.resolve();

  return {
    name: "live",
    events: {
      async "$broker.started"() {
        // Admitted only once the services an admission calls are listed here and the other
        // nodes send this one their broadcasts (known-by-peers.ts).
        if (!(await knownByPeers(this.broker, CALLED_AT_ADMISSION, PEERS_KNOW_US_WITHIN_MS))) {
          this.logger.warn(`live: ${CALLED_AT_ADMISSION.join(" or ")} not listed here, or some nodes still do not list this one; admitting screens anyway`);
        }
        live?.server.admit();
      },
      "queue.changed": listener("queue.changed", (change) => {
        if (!live) return;
        live.notifications.deliver(change);
        live.trackers.changed(change);
        live.monitors.changed(change);
        // A queue never watched here needs no delta: a watcher joining later starts from a
        // snapshot. Once watched, its deltas are kept for the screens that come back.
        if (live.feeds.isWatched(change.queue_id) || live.recent.has(change.queue_id)) live.coalescer.push(deltaOf(change));
      }),
      // A notification the notifications service created (a reminder, a staff message):
      // every node relays it to the sockets of that user it holds.
      // A logout, a revoked screen, a user changed or deleted: their sockets end here too.
      "accounts.sessions.changed": listener("accounts.sessions.changed", ({ jti, user_id }) => {
        live?.credentials.forget({ jti, user_id });
        if (jti) live?.server.endSessions(`jti:${jti}`, "signed out or revoked");
        if (user_id) live?.server.endSessions(`user:${user_id}`, "account changed; sign in again");
      }),
      "notifications.created": listener("notifications.created", ({ user_id, notification }) => {
        live?.server.publish(userTopic(user_id), { type: "notification", notification });
      }),
      "locations.user.located": listener("locations.user.located", (located) => {
        live?.locations.deliver(located);
      }),
      "notifications.delivered": listener("notifications.delivered", ({ user_id, delivery }) => {
        live?.server.publish(userTopic(user_id), { type: "delivery", delivery });
      }),
    },
    created() {
      const call: Call = (action, params) => this.broker.call(action, params);
      const credentials = new Credentials(call, { userMs: config.authCacheMs, displayMs: config.displayAuthCacheMs });
      const server = new LiveServer({
        host: config.host,
        port: config.wsPort,
        maxBackpressureBytes: config.live.maxBackpressureBytes,
        idleTimeoutSeconds: config.live.idleTimeoutSeconds,
        maxConcurrentAdmissions: config.live.maxConcurrentAdmissions,
        maxSocketsPerAddress: config.live.maxSocketsPerAddress,
        trustedProxies: config.live.trustedProxies,
        metrics: liveMetrics(this.broker.metrics),
        logger: this.logger,
      });
      const feeds = new QueueFeeds(server.publish);
      const recent = new DeltaRing();
      const notifications = new NotificationChannel(credentials, server.publish, config.live.turnNearPosition);
      const coalescer = new Coalescer((delta) => {
        try {
          recent.record(delta);
          feeds.deliver(delta);
        } catch (err) {
          this.logger.error({ queue_id: delta.queue_id, err }, "live: delta not delivered");
        }
      });
      const locations = new LocationChannel(credentials, call);
      const trackers = new TrackerChannel(call, this.logger);
      const monitors = new MonitorBoards(call, server.publish, config.live.monitor, this.logger);
      server.mount(new QueueChannel(call, credentials, feeds, recent, this.logger)).mount(notifications).mount(locations).mount(trackers).mount(new OrgMonitorChannel(credentials, call, monitors)).mount(new DashboardChannel(credentials, monitors));
      live = { server, credentials, feeds, recent, coalescer, notifications, locations, trackers, monitors };
      // Listening from creation: a restarted node takes its screens' upgrades while its
      // broker still discovers the cluster (Moleculer waits 500 ms for the other nodes'
      // INFO), and admits them once every service of the node has started.
      listening = server.listen();
      listening.catch(() => {}); // awaited, and so reported, in started()
    },
    async started() {
      await listening;
      // Started on a running broker (re-created): nothing else to wait for.
      if (this.broker.started) live?.server.admit();
    },
    methods: {
      /** Called by the node before its broker leaves the cluster (services/node.ts, hand-over.ts). */
      async handOver() {
        await live?.server.handOver(config.live.handOverPerSecond);
      },
    },
    async stopped() {
      live?.server.close();
      live = undefined;
    },
  };
}
