// Reference server for durable issuance: the naive way — no actor, no batching — one
// insert per request, answered once MongoDB has acknowledged it. Numbers come from a
// counter in this process (the naive implementation's shortcut; it does not survive a
// restart or a second node). `<port> <mongo url>`; `<port> none`: the same server storing
// nothing, so what one request costs on this core before any database (the floor).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { MongoClient } from "mongodb";

const [port, mongoUrl] = process.argv.slice(2);
if (!port || !mongoUrl) throw new Error("usage: <port> <mongo url|none>");
const tickets = mongoUrl === "none" ? null : (await new MongoClient(mongoUrl).connect()).db().collection<{ _id: string }>("naive_tickets");
const numbers = new Map<string, number>();

createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/tickets") return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    try {
      const { queue_id } = JSON.parse(Buffer.concat(chunks).toString()) as { queue_id: string };
      const number = (numbers.get(queue_id) ?? 0) + 1;
      numbers.set(queue_id, number);
      const ticket = { _id: randomUUID(), queue_id, number, status: "waiting", channel: "mobile", priority: "normal", issued_at: new Date() };
      await tickets?.insertOne(ticket);
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: ticket._id, number }));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
}).listen(Number(port), "127.0.0.1");
