// Reference server: the `ws` package as its README shows — authenticate in the HTTP
// server's 'upgrade' event, then handleUpgrade — with a Set of sockets per queue and a
// loop of send() to broadcast. A socket with more than the backpressure limit unsent is
// terminated, the same rule SmartQueue and the uWS peer apply.
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { isValidToken, peerArgs } from "./peer-args.ts";
import { publishEndpoint } from "./publish-endpoint.ts";

const { port, tokenKey, maxBackpressureBytes } = peerArgs();
const rooms = new Map<string, Set<WebSocket>>();

const server = createServer(
  publishEndpoint((topic, message) => {
    for (const socket of rooms.get(topic) ?? []) {
      if (socket.bufferedAmount > maxBackpressureBytes) socket.terminate();
      else socket.send(message);
    }
  }),
);
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url ?? "/", "http://peer");
  const topic = /^\/queue\/([^/]+)$/.exec(url.pathname)?.[1];
  if (!topic || !isValidToken(url.searchParams.get("token"), tokenKey)) {
    socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    let room = rooms.get(topic);
    if (!room) rooms.set(topic, (room = new Set()));
    room.add(ws);
    ws.on("close", () => room.delete(ws));
    ws.send('{"type":"subscribed"}');
  });
});

server.listen(port, "127.0.0.1");
