// How a display client speaks to each server in the displays benchmark. Every server gets
// the same client (the `ws` package) and the same delta; only the handshake and framing
// differ: SmartQueue's queue channel, one path per topic (bare uWebSockets.js and plain
// `ws` peers), Socket.IO's Engine.IO v4 packets, Centrifugo's JSON protocol. A socket is
// ready once the server has confirmed its subscription (SmartQueue: the snapshot, or for a
// screen coming back with the version it holds, the server's word that it resumed).
import { queueChannel } from "../lib/public-api.ts";

export type ProtocolName = "smartqueue" | "topic-path" | "socketio" | "centrifugo";

export interface ClientSpec {
  protocol: ProtocolName;
  /** ws://host:port */
  base: string;
  /** Display token (SmartQueue) or JWT signed with the bench secret (peers). */
  token: string;
}

/** What a socket's incoming frame means to the receiver. */
export type Reading =
  | { kind: "ready"; version: number | null; resumed?: true }
  | { kind: "delta"; text: string }
  | { kind: "reply"; text: string }
  | { kind: "none" };

export interface ClientProtocol {
  /** `since`: the version a screen coming back holds, where the server resumes from one. */
  url(spec: ClientSpec, topic: string, since: number | null): string;
  /** What to send once the socket is open. */
  hello(spec: ClientSpec, topic: string): string | null;
  /** One frame may hold several messages (Centrifugo sends them newline-separated). */
  read(frame: string, spec: ClientSpec, topic: string): Reading[];
  /** What a screen sends when it sees a gap in versions, where the server offers a re-sync. */
  resync: string | null;
}

const token = (spec: ClientSpec) => encodeURIComponent(spec.token);

const smartqueue: ClientProtocol = {
  url: (spec, queueId, since) => queueChannel(spec.base, queueId, spec.token, since),
  hello: () => null,
  read: (frame) => {
    if (frame.startsWith('{"type":"delta"')) return [{ kind: "delta", text: frame }];
    if (frame.startsWith('{"type":"snapshot"')) return [{ kind: "ready", version: Number(/"version":(\d+)/.exec(frame)![1]) }];
    if (frame.startsWith('{"type":"resumed"')) return [{ kind: "ready", version: Number(/"version":(\d+)/.exec(frame)![1]), resumed: true }];
    return [{ kind: "none" }];
  },
  resync: '{"type":"resync"}',
};

const topicPath: ClientProtocol = {
  url: (spec, topic) => `${spec.base}/queue/${topic}?token=${token(spec)}`,
  hello: () => null,
  read: (frame) => [frame.startsWith('{"type":"subscribed"') ? { kind: "ready", version: null } : { kind: "delta", text: frame }],
  resync: null,
};

// Engine.IO v4 packet types: 0 open, 2 ping, 3 pong, 4 message; Socket.IO v5 inside a
// message: 0 connect (carrying the auth payload), 2 event.
const socketio: ClientProtocol = {
  url: (spec) => `${spec.base}/socket.io/?EIO=4&transport=websocket`,
  hello: () => null,
  read: (frame, spec, topic) => {
    if (frame === "2") return [{ kind: "reply", text: "3" }];
    if (frame.startsWith("0{")) return [{ kind: "reply", text: `40${JSON.stringify({ token: spec.token, queue: topic })}` }];
    if (frame.startsWith('42["delta"')) return [{ kind: "delta", text: frame }];
    if (frame.startsWith('42["subscribed"')) return [{ kind: "ready", version: null }];
    return [{ kind: "none" }];
  },
  resync: null,
};

// Commands carry ids; the connect reply (id 1) is followed by the subscribe (id 2), whose
// reply makes the socket ready. An empty object is the server's ping, answered in kind.
const centrifugo: ClientProtocol = {
  url: (spec) => `${spec.base}/connection/websocket`,
  hello: (spec) => JSON.stringify({ id: 1, connect: { token: spec.token, name: "smartqueue-bench" } }),
  read: (frame, _spec, topic) =>
    frame.split("\n").map((line): Reading => {
      if (line === "{}") return { kind: "reply", text: "{}" };
      if (line.startsWith('{"push"')) return { kind: "delta", text: line };
      if (line.startsWith('{"id":1,')) return line.includes('"connect"') ? { kind: "reply", text: JSON.stringify({ id: 2, subscribe: { channel: topic } }) } : { kind: "none" };
      if (line.startsWith('{"id":2,') && line.includes('"subscribe"')) return { kind: "ready", version: null };
      return { kind: "none" };
    }),
  resync: null,
};

export const protocols: Record<ProtocolName, ClientProtocol> = { smartqueue, "topic-path": topicPath, socketio, centrifugo };

const VERSIONS = /"from_version":(\d+),"version":(\d+)/;
const SENT_AT = /"sent_at":([\d.]+)/;

/**
 * The delta's versions and send time, read without parsing the whole message: the same
 * cheap read for every server, so the receiving core is spent on sockets, not on JSON.
 */
export function deltaFields(text: string): { from: number; to: number; sentAt: number } | null {
  const versions = VERSIONS.exec(text);
  const sentAt = SENT_AT.exec(text);
  if (!versions || !sentAt) return null;
  return { from: Number(versions[1]), to: Number(versions[2]), sentAt: Number(sentAt[1]) };
}
