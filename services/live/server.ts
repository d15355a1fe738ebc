// The uWebSockets.js server behind every live channel: one app on HOST:WS_PORT, the same
// limits on every socket, and the plumbing channels share — upgrades, client messages,
// pings, metrics, shutdown. A socket that lets more than WS_MAX_BACKPRESSURE bytes pile up
// is closed by uWS itself, so a slow client is dropped and never slows a publish.
import type { LoggerInstance } from "moleculer";
import uWS, { type TemplatedApp, type us_listen_socket, type WebSocket, type WebSocketBehavior } from "uWebSockets.js";
import { errors } from "../../mixins/api/errors.ts";
import { toFieldIssues } from "../../mixins/api/validated.ts";
import { AdmissionGate } from "./admission-gate.ts";
import type { Channel, Peer } from "./channel.ts";
import { errorMessage, pong } from "./messages.ts";
import type { LiveMetrics } from "./metrics.ts";
import { inWaves } from "./hand-over.ts";
import { answerError, answerUpgrade, type Admission } from "./upgrade.ts";
import { SessionSockets } from "./session-sockets.ts";
import { TurnSlices } from "./turn-slices.ts";
import { MessageBudget, SocketsPerAddress } from "./socket-limits.ts";

/** Client messages are a few bytes; uWS closes a socket that sends more than this. */
const MAX_MESSAGE_BYTES = 4 * 1024;
/** Sent to clients when the node stops, so they reconnect elsewhere. */
const GOING_AWAY = 1001;
/** Sent to a client that breaks the rules (here: sends too fast). */
const POLICY_VIOLATION = 1008;
/** A client sends a ping now and then and a re-sync after a gap: this is plenty. */
const MESSAGE_BURST = 20;
const MESSAGES_PER_SECOND = 5;
// Every socket joins this topic, on which nothing is published, and leaves it only as it
// closes: uWS then reports the leave while the socket's unsent bytes can still be read,
// which is how a backpressure drop is told from an ordinary disconnect.
const PRESENCE = "presence";
/** How long late upgrade answers may hold the event loop at a stretch (turn-slices.ts). */
const ANSWERS_SLICE_MS = 5;

export interface ServerOptions {
  host: string;
  port: number;
  maxBackpressureBytes: number;
  idleTimeoutSeconds: number;
  /** Upgrades being admitted at once, over all channels; the others wait their turn. */
  maxConcurrentAdmissions: number;
  maxSocketsPerAddress: number;
  trustedProxies: number;
  metrics: LiveMetrics;
  logger: LoggerInstance;
}

interface Socket<D> {
  data: D;
  address: string;
  peer: SocketPeer<D> | null;
  /** Its channel work at open has run. */
  started: boolean;
  dropped: boolean;
  budget: MessageBudget;
}

/** uWS copies user data onto its socket object, so ours travels inside one property. */
type Slot<D> = { socket: Socket<D> };

class SocketPeer<D> implements Peer {
  closed = false;
  /** We are closing it (not uWS for backpressure): its buffer must not be read meanwhile. */
  ending = false;

  constructor(private readonly ws: WebSocket<Slot<D>>) {}

  private get usable(): boolean {
    return !this.closed && !this.ending;
  }

  send(message: object | string): void {
    if (this.usable) this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  batch(sends: () => void): void {
    if (this.usable) this.ws.cork(sends);
  }

  subscribe(topic: string): void {
    if (this.usable) this.ws.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    if (this.usable) this.ws.unsubscribe(topic);
  }

  end(code: number, reason: string): void {
    if (!this.usable) return;
    this.ending = true;
    this.ws.end(code, reason);
  }
}

export class LiveServer {
  private readonly app: TemplatedApp = uWS.App();
  private readonly open = new Set<SocketPeer<unknown>>();
  private listening: us_listen_socket | null = null;
  private readonly gate: AdmissionGate;
  private readonly sessions = new SessionSockets();
  private readonly perAddress: SocketsPerAddress;
  private readonly answers: TurnSlices;

  constructor(private readonly options: ServerOptions) {
    this.answers = new TurnSlices(ANSWERS_SLICE_MS, (err) => options.logger.error({ err }, "live: an upgrade's answer failed"));
    // Closed until `admit()`: the node may listen before its broker can reach other nodes.
    this.gate = new AdmissionGate(options.maxConcurrentAdmissions, { closed: true });
    this.perAddress = new SocketsPerAddress(options.maxSocketsPerAddress);
    this.app.any("/*", (res) => answerError(res, errors.routeNotFound(), options.logger));
  }

  /** To every socket subscribed to the topic, fanned out natively; nothing to do if none is. */
  readonly publish = (topic: string, message: object): void => {
    if (this.app.numSubscribers(topic) > 0) this.app.publish(topic, JSON.stringify(message));
  };

  mount<D, M extends { type: string }>(channel: Channel<D, M>): this {
    const { maxBackpressureBytes, idleTimeoutSeconds, metrics, logger, maxSocketsPerAddress, trustedProxies } = this.options;
    const admission: Admission<D> = {
      arity: channel.pattern.split("/").filter((part) => part.startsWith(":")).length,
      trustedProxies,
      // The address's place is taken before the admission's work, so a flood of upgrades
      // from one address is refused before it costs a token check; given back on any failure.
      admit: async (request, gone) => {
        if (!this.perAddress.take(request.address)) throw errors.tooManySockets(maxSocketsPerAddress);
        try {
          return await this.gate.run(() => channel.admit(request), gone);
        } catch (err) {
          this.perAddress.release(request.address);
          throw err;
        }
      },
      abandon: (data, request) => {
        this.perAddress.release(request.address);
        channel.abandon(data);
      },
      answer: (write) => this.answers.run(write),
      logger,
    };
    const behavior: WebSocketBehavior<Slot<D>> = {
      maxPayloadLength: MAX_MESSAGE_BYTES,
      maxBackpressure: maxBackpressureBytes,
      // This build's typings declare the flag as a number; any truthy value turns it on.
      closeOnBackpressureLimit: 1,
      idleTimeout: idleTimeoutSeconds,
      sendPingsAutomatically: true,
      upgrade: (res, req, context) =>
        answerUpgrade(res, req, context, admission, (data, request): Slot<D> => ({
          socket: { data, address: request.address, peer: null, started: false, dropped: false, budget: new MessageBudget(MESSAGE_BURST, MESSAGES_PER_SECOND) },
        })),
      open: (ws) => {
        const socket = ws.getUserData().socket;
        socket.peer = new SocketPeer(ws);
        this.open.add(socket.peer);
        metrics.opened(channel.name);
        // Every upgrade here is answered inside `res.cork` after the admission's awaits. Once
        // that callback returns, this build of uWS reads the HTTP response's state from
        // memory the upgrade may have handed, in place, to the new socket, and it shut the
        // socket down (1006) when what the open work had written there looked like
        // "connection: close" (uWebSockets issue #1928, fixed upstream by PR #1929, not in
        // this build). So the open work runs right after, untouched by that read.
        queueMicrotask(() => this.start(channel, socket));
      },
      message: (ws, raw) => {
        const socket = ws.getUserData().socket;
        this.start(channel, socket);
        if (!socket.budget.spend()) {
          socket.peer!.send(errorMessage(errors.rateLimited()));
          return socket.peer!.end(POLICY_VIOLATION, "too many messages");
        }
        this.guard(() => this.receive(channel, socket.peer!, socket.data, raw));
      },
      subscription: (ws, topic, newCount, oldCount) => {
        const socket = ws.getUserData().socket;
        if (newCount < oldCount && !socket.peer?.ending && Buffer.from(topic).toString() === PRESENCE) {
          socket.dropped = ws.getBufferedAmount() > maxBackpressureBytes;
        }
      },
      close: (ws) => {
        const socket = ws.getUserData().socket;
        socket.peer!.closed = true;
        this.open.delete(socket.peer!);
        this.sessions.untrack(socket.peer!);
        this.perAddress.release(socket.address);
        metrics.closed(channel.name, socket.dropped);
        this.guard(() => channel.close(socket.data));
      },
    };
    // The seed's apps open its channels with a trailing slash (`/ws/queue/{id}/`), as its REST paths.
    for (const pattern of [channel.pattern, `${channel.pattern}/`]) this.app.ws<Slot<D>>(pattern, behavior);
    return this;
  }

  /** Closes the sockets resting on a session key that has ended (see session-sockets.ts). */
  endSessions(key: string, reason: string): number {
    return this.sessions.end(key, reason);
  }

  listen(): Promise<void> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) => {
      this.app.listen(host, port, (socket) => {
        if (!socket) return reject(new Error(`live: cannot listen on ${host}:${port}`));
        this.listening = socket;
        this.options.metrics.reached("listening");
        resolve();
      });
    });
  }

  /** From now on upgrades are admitted, those already waiting first. */
  admit(): void {
    this.gate.open();
    this.options.metrics.admitting(true);
    this.options.metrics.reached("admitting");
  }

  /**
   * Stops listening, then closes its sockets with 1001 `perSecond` at a time (all at once
   * when 0), while the node still hears every change: see hand-over.ts.
   */
  async handOver(perSecond: number): Promise<void> {
    this.stopListening();
    await inWaves(this.open, perSecond, (peer) => peer.end(GOING_AWAY, "server stopping"));
  }

  /** Stops listening and closes every socket, so the node can stop. */
  close(): void {
    this.stopListening();
    for (const peer of [...this.open]) peer.end(GOING_AWAY, "server stopping");
  }

  private stopListening(): void {
    this.options.metrics.admitting(false);
    if (this.listening) uWS.us_listen_socket_close(this.listening);
    this.listening = null;
  }

  private receive<D, M extends { type: string }>(channel: Channel<D, M>, peer: Peer, data: D, raw: ArrayBuffer): void {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(raw).toString("utf8"));
    } catch {
      return peer.send(errorMessage(errors.malformedJson("This message")));
    }
    const parsed = channel.messages.safeParse(json);
    if (!parsed.success) return peer.send(errorMessage(errors.validation(toFieldIssues(parsed.error))));
    if (parsed.data.type === "ping") return peer.send(pong);
    channel.receive?.(peer, data, parsed.data as Exclude<M, { type: "ping" }>);
  }

  /** The socket's channel work at open (see `open`); once, and never after it closed. */
  private start<D, M extends { type: string }>(channel: Channel<D, M>, socket: Socket<D>): void {
    const peer = socket.peer!;
    if (socket.started || peer.closed) return;
    socket.started = true;
    peer.subscribe(PRESENCE);
    this.guard(() => channel.open(peer, socket.data));
    this.guard(() => this.sessions.track(peer, channel.sessionOf(socket.data)));
  }

  /** A bug in one socket's handling is logged; it must not take the node down. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.options.logger.error({ err }, "live: socket handler failed");
    }
  }
}
