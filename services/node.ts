// A SmartQueue node: one Moleculer broker with the services this node runs, over one
// MongoDB connection. Used by `npm start` and by the tests alike. It composes the
// services, so it sits beside them: nothing below services/ imports from above.
import { ServiceBroker } from "moleculer";
import type { Connection } from "mongoose";
import type { Config } from "../config/index.ts";
import { brokerOptions } from "../moleculer.config.ts";
import { servicesFor } from "./catalog.ts";
import { connectMongo } from "../mixins/db/connection.ts";
// Registered on every node, whatever it runs: a node resolves the strategy of every action
// the cluster announces, sharded queue actions included.
import "../config/broker/consistent-shard-strategy.ts";

export interface SmartQueueNode {
  broker: ServiceBroker;
  db: Connection;
  stop(): Promise<void>;
}

export async function startNode(config: Config, mongoUrl: string): Promise<SmartQueueNode> {
  const db = await connectMongo(mongoUrl);
  const broker = new ServiceBroker(brokerOptions(config));
  try {
    for (const schema of await servicesFor({ config, db })) broker.createService(schema);
    await broker.start();
  } catch (err) {
    await broker.stop().catch(() => {});
    await db.close();
    throw err;
  }
  return {
    broker,
    db,
    async stop() {
      await broker.stop();
      await db.close();
    },
  };
}
