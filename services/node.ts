// A SmartQueue node: one Moleculer broker with the services this node runs, over one
// MongoDB connection. Used by `npm start` and by the tests alike. It composes the
// services, so it sits beside them: nothing below services/ imports from above.
import { ServiceBroker } from "moleculer";
import type { Connection } from "mongoose";
import type { Config } from "../config/index.ts";
import { brokerOptions } from "../moleculer.config.ts";
import { servicesFor, usesDatabase } from "./catalog.ts";
// Registered on every node, whatever it runs: a node resolves the strategy of every action
// the cluster announces, sharded queue actions included.
import "../config/broker/consistent-shard-strategy.ts";

export interface SmartQueueNode {
  broker: ServiceBroker;
  db: Connection;
  /** The writes made behind the answers (node-deps.ts). */
  behind: Connection;
  stop(): Promise<void>;
}

export async function startNode(config: Config, mongoUrl: string): Promise<SmartQueueNode> {
  const { db, behind } = usesDatabase(config.services) ? await connected(mongoUrl, config.mongoBehindPool) : { db: noDatabase(), behind: noDatabase() };
  const closeAll = () => Promise.all([db.close(), behind.close()]);
  // Whoever starts the node stops it (scripts/start.ts on SIGINT/SIGTERM, the tests in their
  // hooks). Moleculer's own signal handlers would stop the broker a second time and exit
  // the process once that stop is done, racing start.ts's own shutdown (the embedded
  // database is stopped after the node).
  const broker = new ServiceBroker({ ...brokerOptions(config), skipProcessEventRegistration: true });
  try {
    for (const schema of await servicesFor({ config, db, behind })) broker.createService(schema);
    await broker.start();
  } catch (err) {
    await broker.stop().catch(() => {});
    await closeAll();
    throw err;
  }
  return {
    broker,
    db,
    behind,
    async stop() {
      await handOver(broker);
      await broker.stop();
      await closeAll();
    },
  };
}

// The driver is loaded only by a node that uses it: loading it and connecting were about
// half of the start of a node that runs only live channels, the time its screens wait
// when it restarts (docs/bench-runs/2026-12-03-restart-admissions.md).
async function connected(mongoUrl: string, behindPool: number): Promise<{ db: Connection; behind: Connection }> {
  const { connectMongo } = await import("../mixins/db/connection.ts");
  const [db, behind] = await Promise.all([connectMongo(mongoUrl), connectMongo(mongoUrl, { maxPoolSize: behindPool })]);
  return { db, behind };
}

/** What a node without a database hands its services: closing it is a no-op, using it a bug. */
function noDatabase(): Connection {
  return new Proxy({} as Connection, {
    get(_, property) {
      if (property === "close") return async () => {};
      throw new Error(`this node runs no service that uses the database (SERVICES), yet its connection's '${String(property)}' was used`);
    },
  });
}

/**
 * A service with clients of its own (live: its sockets) hands them over before the node
 * leaves the cluster, while it still hears every change for those not yet gone.
 */
async function handOver(broker: ServiceBroker): Promise<void> {
  await Promise.all(broker.services.map((service) => (service as { handOver?: () => Promise<void> }).handOver?.()));
}
