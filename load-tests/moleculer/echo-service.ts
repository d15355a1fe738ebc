// What the Moleculer call benchmark calls: an action that answers its params, on brokers
// set up as SmartQueue's nodes are (moleculer.config.ts), with NATS as the transporter.
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { brokerOptions } from "../../moleculer.config.ts";

export const NATS_URL = "nats://127.0.0.1:4222";

export const echoService: ServiceSchema = {
  name: "echo",
  actions: { reply: (ctx) => ctx.params },
};

export function natsBroker(namespace: string, nodeId: string): ServiceBroker {
  return new ServiceBroker({
    ...brokerOptions(loadConfig({ NATS_URL, NAMESPACE: namespace, NODE_ID: nodeId, LOG_LEVEL: "warn", METRICS_PORT: "0" })),
    logger: false,
  });
}

export function localBroker(): ServiceBroker {
  return new ServiceBroker({ ...brokerOptions(loadConfig({ LOG_LEVEL: "warn", METRICS_PORT: "0" })), logger: false });
}
