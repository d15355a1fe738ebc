// For a suite whose fixtures must live apart from the run's: a node on a database of its
// own, started before the suite's tests and stopped after them, to which every request
// naming no baseUrl goes meanwhile (fixtures included).
import { randomUUID } from "node:crypto";
import { routeRequestsTo } from "./http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "./system.ts";

/** Call inside a `describe`; gives the node once its `before` has run. */
export function onANodeOfItsOwn(name: string, overrides: Record<string, string> = {}): () => TestSystem {
  let node: TestSystem | undefined;
  before(async function () {
    this.timeout(60_000);
    node = await startExtraSystem(overrides, { database: `${name}_${randomUUID().slice(0, 8)}` });
    routeRequestsTo(node.baseUrl);
  });
  after(async () => {
    routeRequestsTo(undefined);
    await stopExtraSystem(node);
  });
  return () => node!;
}
