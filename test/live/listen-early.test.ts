import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { brokerOptions } from "../../moleculer.config.ts";
import { servicesFor } from "../../services/catalog.ts";
import { closeClients, connect, queuePath } from "../support/live-client.ts";
import { mongoUrl, testEnv } from "../support/system.ts";
import { aBranchQueue } from "./live-fixtures.ts";

describe("a starting node's live port", () => {
  afterEach(closeClients);

  it("takes a screen's upgrade before its broker has started, and admits it once started", async () => {
    const { queue, display } = await aBranchQueue();
    // Only what a screen's admission needs: a second scheduler, analytics or sweeps on the
    // run's database would only add work beside the run's own node.
    const config = loadConfig(await testEnv({ SERVICES: "api,accounts,business,queues,live" }));
    const db = await connectMongo(mongoUrl());
    const broker = new ServiceBroker(brokerOptions(config));
    try {
      for (const schema of await servicesFor({ config, db, behind: db })) broker.createService(schema);
      // Not started yet: a node that only listened once started would refuse this connection.
      const screen = connect(queuePath(queue.id), { token: display.token, port: config.wsPort });
      await broker.start();
      const snapshot = await (await screen).next("snapshot");
      assert.equal(snapshot.queue_id, queue.id);
    } finally {
      await broker.stop();
      await db.close();
    }
  });
});
