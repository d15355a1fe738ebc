// A Moleculer node for the bench itself (a publisher, a caller), set up as SmartQueue's
// nodes are (moleculer.config.ts) and joined to NATS in a namespace of its own run.
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { brokerOptions } from "../../moleculer.config.ts";
// A node that joins a SmartQueue cluster must know the strategy the queue actors' actions name.
import "../../config/broker/consistent-shard-strategy.ts";

export const NATS_URL = "nats://127.0.0.1:4222";

/** Silent: its log lines would mix with the bench's JSON on stdout. */
export function benchNode(namespace: string, nodeId: string): ServiceBroker {
  return new ServiceBroker({
    ...brokerOptions(loadConfig({ NATS_URL, NAMESPACE: namespace, NODE_ID: nodeId, LOG_LEVEL: "warn", METRICS_PORT: "0" })),
    logger: false,
  });
}
