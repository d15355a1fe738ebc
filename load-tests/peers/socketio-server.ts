// Reference server: Socket.IO as its documentation recommends for this — an auth
// middleware on the handshake, one room per queue joined on connection, io.to(room).emit
// to broadcast. Default options otherwise. Socket.IO has no per-socket backpressure limit:
// it buffers whatever a slow client has not read.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { isValidToken, peerArgs } from "./peer-args.ts";
import { publishEndpoint } from "./publish-endpoint.ts";

const { port, tokenKey } = peerArgs();
const server = createServer(publishEndpoint((room, message) => io.to(room).emit("delta", JSON.parse(message))));
const io = new Server(server);

io.use((socket, next) => (isValidToken(socket.handshake.auth.token, tokenKey) ? next() : next(new Error("unauthorized"))));
io.on("connection", (socket) => {
  void socket.join(String(socket.handshake.auth.queue));
  socket.emit("subscribed");
});

server.listen(port, "127.0.0.1");
