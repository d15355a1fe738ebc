// What a live channel is, apart from the socket library: it admits an upgrade request
// (who is asking, may they, what they see first) before the socket opens, then talks to
// its sockets through peers. Only server.ts knows uWebSockets.js.
import type { z } from "zod";
import type { LiveSession } from "./session-sockets.ts";

/** What the server reads from an upgrade request before answering it asynchronously. */
export interface UpgradeRequest {
  /** Path parameters in the pattern's order, e.g. [queueId]. */
  params: string[];
  /** From the `bearer.<token>` subprotocol a browser offers beside `smartqueue`. */
  protocolToken: string | undefined;
  /** `?token=…`: for display tokens only (a URL is logged by proxies). */
  queryToken: string | undefined;
  /** `?since=<version>`: the version a queue screen coming back holds, unparsed. */
  since: string | undefined;
  /** The Authorization header, "" when absent. */
  authorization: string;
  /** The client's address (mixins/api/client-address.ts). */
  address: string;
}

/** One open socket, safe to use after it closed (sends are then dropped). */
export interface Peer {
  /** A string is a message serialised already, to be shared by many sockets. */
  send(message: object | string): void;
  /** Sends made inside go out as one write. */
  batch(sends: () => void): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  end(code: number, reason: string): void;
  readonly closed: boolean;
}

export interface Channel<D, M extends { type: string } = { type: "ping" }> {
  /** The `channel` label of the live metrics. */
  name: string;
  /** The route, e.g. "/ws/queue/:queueId". */
  pattern: string;
  /** What a client may send; pings are answered by the server. */
  messages: z.ZodType<M>;
  /** Throws an AppError to refuse: the client gets it as an HTTP answer, not a socket. */
  admit(request: UpgradeRequest): Promise<D>;
  /** Admitted, but the client left before the upgrade completed. */
  abandon(data: D): void;
  /** What the socket's admission rested on: it is closed when that ends. */
  sessionOf(data: D): LiveSession;
  open(peer: Peer, data: D): void;
  receive?(peer: Peer, data: D, message: Exclude<M, { type: "ping" }>): void;
  close(data: D): void;
}
