// One contract per event (services/events.ts): every event a running service listens to
// has one, and a listener never sees a payload its contract refuses.
import assert from "node:assert/strict";
import type { Context, LoggerInstance, Service } from "moleculer";
import { EVENTS, listener } from "../services/events.ts";
import { system } from "./support/system.ts";

describe("event contracts", () => {
  it("has a contract for every event the node's services listen to", () => {
    const heard = system().node.broker.services.flatMap((service) => Object.keys(service.schema.events ?? {}));
    // Moleculer's own ($node.connected…) and moleculer-db's cache cleaning (cache.clean.<service>,
    // no payload: mixins/cache-cleaner.mixin.ts) are the framework's, not the domain's.
    const own = heard.filter((name) => !name.startsWith("$") && !name.startsWith("cache.clean."));
    assert.ok(own.includes("queue.changed"), `the node's services listen to: ${own.join(", ")}`);
    assert.deepEqual(own.filter((name) => !(name in EVENTS)), [], "events without a contract");
  });

  it("hands a listener only what its contract accepts, and logs the rest", async () => {
    const warnings: unknown[] = [];
    const handled: unknown[] = [];
    const service = { logger: { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as LoggerInstance } as Service;
    const handler = listener("queues.changed", (payload) => void handled.push(payload));
    const hear = (params: unknown) => handler.call(service, { params } as Context<unknown>);
    await hear({ queue_id: "q1", deleted: false });
    await hear({ queue_id: 42, deleted: "no" });
    await hear({ queue_id: "q2" });
    assert.deepEqual(handled, [{ queue_id: "q1", deleted: false }]);
    assert.equal(warnings.length, 2);
  });

  it("gives every listener of one payload the same parse, frozen, and each malformed one its warning", async () => {
    const warnings: unknown[] = [];
    const handled: unknown[] = [];
    const service = { logger: { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as LoggerInstance } as Service;
    const live = listener("notifications.created", (payload) => void handled.push(payload));
    const analytics = listener("notifications.created", (payload) => void handled.push(payload));
    const params = { user_id: "u1", notification: { id: "n1", event: "ticket.called", body: { lines: ["A 12"] } } };
    for (const handler of [live, analytics]) await handler.call(service, { params } as Context<unknown>);
    const [first, second] = handled as Array<{ notification: { body: { lines: string[] } } }>;
    assert.equal(first, second, "one parse, shared");
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.notification.body.lines), "frozen all the way down");
    assert.throws(() => first!.notification.body.lines.push("B 3"), TypeError);
    assert.deepEqual(params.notification.body.lines, ["A 12"]);
    assert.ok(!Object.isFrozen(params.notification), "the payload as sent is parsed into a copy");
    assert.ok(Object.isFrozen(params.notification.body), "what the contract lets through unparsed is the sender's own, frozen with it");
    const malformed = { user_id: 7 };
    for (const handler of [live, analytics]) await handler.call(service, { params: malformed } as Context<unknown>);
    assert.equal(warnings.length, 2);
    assert.equal(handled.length, 2);
  });
});
