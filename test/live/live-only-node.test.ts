import assert from "node:assert/strict";
import net from "node:net";
import { loadConfig } from "../../config/index.ts";
import { startNode } from "../../services/node.ts";
import { testEnv } from "../support/system.ts";

/** Resolves once the port takes a TCP connection. */
const accepts = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve()));
    socket.once("error", reject);
  });

describe("a node that runs only live channels", () => {
  it("starts and listens without a database: it neither connects to one nor lets one be used", async () => {
    // Nothing listens on port 1: a node that tried to connect would fail after its server selection timeout.
    const config = loadConfig(await testEnv({ SERVICES: "live", MONGO_URL: "mongodb://127.0.0.1:1/nowhere" }));
    const node = await startNode(config, config.mongoUrl!);
    try {
      await accepts(config.wsPort);
      assert.throws(() => node.db.collection("tickets"), /runs no service that uses the database/);
    } finally {
      await node.stop();
    }
  });
});
