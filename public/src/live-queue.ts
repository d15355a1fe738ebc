// One queue's live channel (/ws/queue/{id}): a snapshot, then deltas applied in version
// order; a gap asks for a fresh snapshot; a lost connection comes back by itself, with a
// growing pause, asking to resume from the version it holds (`?since=`): the node answers
// `resumed` and the deltas missed, or a snapshot when it has not kept them. A connection
// back within LOST_NOTICE_MS is never reported lost: a node restarted or left for another
// behind the same address (a rolling restart) shows nothing on the screen. A socket closed with 4401 ended with
// what admitted it (a revoked screen, an expired sign-in), and a connection refused may
// have been refused for it (a browser is not told why): the page checks and decides.
import type { QueueEvent, QueueSnapshot } from "./queue-view.ts";
import { reconnectDelay } from "./reconnect-delay.ts";

export type LiveState = "connecting" | "live" | "lost" | "ended";

export interface LiveQueueOptions {
  queueId: string;
  /** The token offered as the `bearer.<token>` subprotocol, read at each connection. */
  token: () => string;
  onSnapshot: (snapshot: QueueSnapshot, name: string) => void;
  onEvents: (events: QueueEvent[], version: number) => void;
  onState: (state: LiveState) => void;
  /** After a 4401 or a refused connection: true to connect again (e.g. with a refreshed token), false to stay closed. */
  stillAdmitted: () => Promise<boolean>;
}

const SESSION_ENDED = 4401;
const LOST_NOTICE_MS = 2_000;

/** Where the live channels are: the server's setting, else this page's host on WS_PORT. */
export function liveBaseUrl(): string {
  const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? "";
  const configured = meta("smartqueue-live-url");
  if (configured) return configured;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.hostname}:${meta("smartqueue-live-port")}`;
}

export class LiveQueue {
  private socket: WebSocket | null = null;
  private version = -1;
  /** Attempts to reconnect since the socket was last live. */
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lostTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: LiveQueueOptions) {}

  start(): this {
    this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.lostTimer);
    this.socket?.close(1000);
  }

  private connect(): void {
    const { queueId, token, onState } = this.options;
    if (this.version < 0) onState("connecting");
    const since = this.version >= 0 ? `?since=${this.version}` : "";
    const socket = new WebSocket(`${liveBaseUrl()}/ws/queue/${encodeURIComponent(queueId)}${since}`, ["smartqueue", `bearer.${token()}`]);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => (opened = true);
    socket.onmessage = (message) => this.receive(socket, JSON.parse(String(message.data)));
    socket.onclose = (closed) => void this.closed(closed.code === SESSION_ENDED || !opened);
  }

  /** Asks for a fresh snapshot, when what the deltas say is not enough (queue-view.ts). */
  resync(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: "resync" }));
  }

  private receive(socket: WebSocket, message: { type: string; name?: string; version?: number; from_version?: number; snapshot?: QueueSnapshot; events?: QueueEvent[] }): void {
    if (message.type === "snapshot" && message.snapshot) {
      this.version = message.snapshot.version;
      this.back();
      this.options.onSnapshot(message.snapshot, message.name ?? "");
    } else if (message.type === "resumed") {
      this.back(); // what was missed follows as deltas
    } else if (message.type === "delta" && message.events && message.version !== undefined) {
      if (message.version <= this.version) return; // seen already
      if (message.from_version !== this.version + 1) return socket.send(JSON.stringify({ type: "resync" }));
      this.version = message.version;
      this.options.onEvents(message.events, message.version);
    }
  }

  /** Live again, holding the latest version or about to get what it missed. */
  private back(): void {
    this.attempts = 0;
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    this.options.onState("live");
  }

  private async closed(perhapsRefused: boolean): Promise<void> {
    this.socket = null;
    if (this.stopped) return;
    if (perhapsRefused && !(await this.options.stillAdmitted())) {
      clearTimeout(this.lostTimer);
      this.options.onState("ended");
      return;
    }
    if (this.version < 0) this.options.onState("lost");
    else this.lostTimer ??= setTimeout(() => this.options.onState("lost"), LOST_NOTICE_MS);
    this.retryTimer = setTimeout(() => this.connect(), reconnectDelay(this.attempts++));
  }
}
