// A Moleculer node with one `echo.reply` action, joined to NATS in the namespace given on
// the command line: the remote end of load-tests/moleculer-calls.ts.
import { ServiceBroker } from "moleculer";
import { benchNode } from "../lib/cluster.ts";
import { echoService } from "./echo-service.ts";

const namespace = process.argv[2];
if (!namespace) throw new Error("usage: <namespace>");
const broker: ServiceBroker = benchNode(namespace, `echo-${process.pid}`);
broker.createService(echoService);
await broker.start();
process.on("SIGTERM", () => void broker.stop().then(() => process.exit(0)));
