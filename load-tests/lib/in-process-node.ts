// A SmartQueue node in the load test's own process (services/node.ts), quiet and on free
// ports, for benchmarks that call its actions through its broker: `services` names what it
// runs (leave the scheduler out where its own start-up runs would overlap the measured ones).
import { loadConfig } from "../../config/index.ts";
import { freePort } from "../../scripts/mongo-server.ts";
import { startNode, type SmartQueueNode } from "../../services/node.ts";
import { ADMIN } from "./system-under-test.ts";

export async function anInProcessNode(mongoUrl: string, services: string): Promise<{ node: SmartQueueNode; baseUrl: string }> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "test",
    PORT: String(await freePort()),
    WS_PORT: String(await freePort()),
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    SERVICES: services,
    ADMIN_PHONE: ADMIN.phone,
    ADMIN_PASSWORD: ADMIN.password,
  });
  return { node: await startNode(config, mongoUrl), baseUrl: `http://127.0.0.1:${config.port}` };
}
