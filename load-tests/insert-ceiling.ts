// The ceiling for durable issuance: how many ticket-sized documents per second the same
// database takes when they arrive in batches (insertMany), with a few batches in flight —
// what a perfect group commit would get. The database runs on the server core.
import { randomUUID } from "node:crypto";
import { MongoClient } from "mongodb";
import { closedLoops } from "./lib/closed-loop.ts";
import { startDatabase } from "./lib/database.ts";
import { costMeter } from "./lib/rig.ts";

export async function insertCeilingOnce({ seconds, batch, writers }: { seconds: number; batch: number; writers: number }) {
  const database = await startDatabase({ onServerCore: true });
  const client = await new MongoClient(database.url).connect();
  try {
    const tickets = client.db().collection<{ _id: string }>("ceiling_tickets");
    let inserted = 0;
    const writer = async () => {
      const docs = Array.from({ length: batch }, (_, i) => ({
        _id: randomUUID(), queue_id: "queue-0", number: inserted + i, status: "waiting", channel: "mobile", priority: "normal", issued_at: new Date(),
      }));
      await tickets.insertMany(docs, { ordered: false });
      inserted += batch;
    };
    const db = database.pid ? costMeter(database.pid) : null;
    const elapsed = await closedLoops(seconds, Array.from({ length: writers }, () => writer));
    const cost = db?.stop() ?? null;
    const stored = await tickets.countDocuments();
    return { inserts_per_s: Math.round(inserted / elapsed), batch, writers, acknowledged_but_missing: inserted - stored, database: cost };
  } finally {
    await client.close();
    await database.stop();
  }
}
