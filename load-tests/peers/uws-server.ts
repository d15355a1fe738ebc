// Reference server: bare uWebSockets.js with one topic per queue and native app.publish —
// SmartQueue's live channel without SmartQueue (no admission calls, no snapshots, no
// version bookkeeping), so the framework's tax shows against it. Same limits as SmartQueue.
import uWS from "uWebSockets.js";
import { isValidToken, peerArgs } from "./peer-args.ts";

const { port, tokenKey, maxBackpressureBytes } = peerArgs();
const app = uWS.App();

app.ws<{ topic: string }>("/queue/:topic", {
  maxPayloadLength: 4 * 1024,
  maxBackpressure: maxBackpressureBytes,
  closeOnBackpressureLimit: 1,
  idleTimeout: 60,
  sendPingsAutomatically: true,
  upgrade: (res, req, context) => {
    if (!isValidToken(req.getQuery("token"), tokenKey)) return void res.writeStatus("401 Unauthorized").end();
    res.upgrade(
      { topic: req.getParameter(0)! },
      req.getHeader("sec-websocket-key"),
      req.getHeader("sec-websocket-protocol"),
      req.getHeader("sec-websocket-extensions"),
      context,
    );
  },
  open: (ws) => {
    ws.subscribe(ws.getUserData().topic);
    ws.send('{"type":"subscribed"}');
  },
});

app.post("/publish/:topic", (res, req) => {
  const topic = req.getParameter(0)!;
  const chunks: Buffer[] = [];
  res.onAborted(() => {});
  res.onData((chunk, isLast) => {
    chunks.push(Buffer.from(chunk.slice(0)));
    if (!isLast) return;
    app.publish(topic, Buffer.concat(chunks).toString());
    res.writeStatus("204 No Content").end();
  });
});

app.listen("127.0.0.1", port, (listening) => {
  if (!listening) throw new Error(`uws peer: cannot listen on ${port}`);
});
