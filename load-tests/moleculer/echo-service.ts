// What the Moleculer call benchmark calls: an action that answers its params.
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { loadConfig } from "../../config/index.ts";
import { brokerOptions } from "../../moleculer.config.ts";

export const echoService: ServiceSchema = {
  name: "echo",
  actions: { reply: (ctx) => ctx.params },
};

/** One node with everything in-process, as SmartQueue runs without NATS_URL. */
export function localBroker(): ServiceBroker {
  return new ServiceBroker({ ...brokerOptions(loadConfig({ LOG_LEVEL: "warn", METRICS_PORT: "0" })), logger: false });
}
