// A node stopped while it sends a citizen's SMS lets the sending finish before it closes
// its database: the delivery is settled, so the retry scheduled in case the node died
// mid-send finds it sent, and the citizen gets the SMS once. Moleculer stops services
// without waiting for the work their events started unless its context tracking is on
// (moleculer.config.ts); without it, every notification in flight at a stop failed on the
// closed connection.
import assert from "node:assert/strict";
import mongoose from "mongoose";
import { broadcast } from "../../services/events.ts";
import { notificationsStore, type DeliveryDoc } from "../../services/notifications/store.ts";
import { databaseUrl } from "../support/system.ts";
import { waitFor } from "./notification-fixtures.ts";
import { aProviderNode } from "./provider-node.ts";
import { standIn } from "./stand-in-server.ts";

/** What a queue's owner broadcasts when it calls the citizen's ticket to a counter. */
const calledChange = (userId: string) => ({
  queue_id: "graceful-stop-queue", organization_id: "graceful-stop-org", branch_id: null, from_version: 1, version: 1, sent_at: Date.now(),
  events: [{ type: "ticket.called", queue_id: "graceful-stop-queue", version: 1, counter_name: "Guichet 2", ticket: { id: "graceful-stop-ticket", user_id: userId, number: "A-001" } }],
  next: [],
});

describe("a node stopping while it notifies", () => {
  it("settles the SMS it is sending before it closes its database, so the citizen gets it once", async () => {
    let answerSms!: () => void;
    const smsAnswered = new Promise<void>((resolve) => (answerSms = resolve));
    const expresso = await standIn((req) => (req.method === "POST" ? { status: 200, json: { message_id: "held-1" }, after: smsAnswered } : { status: 200, json: { status: "up" } }));
    const sut = await aProviderNode({ SMS_PROVIDER: "expresso", EXPRESSO_SMS_BASE_URL: expresso.url, EXPRESSO_SMS_API_KEY: "expresso-key", PROVIDER_TIMEOUT_MS: "10000" });
    const database = databaseUrl(sut.node.db.name);
    try {
      const citizen = await sut.aCitizen();
      broadcast(sut.node.broker, "queue.changed", calledChange(citizen.user.id));
      await waitFor(async () => expresso.requests.some((r) => r.method === "POST"), 10_000, "the SMS at the provider");

      // The provider answers once the stop has gone as far as it goes without the SMS: the
      // database closed, or the notifications service's stop holding for its work in
      // flight (Moleculer's ContextTracker keeps that work in `_trackedContexts`).
      const stopped = sut.stop();
      const notifications = sut.node.broker.getLocalService("notifications") as unknown as { _trackedContexts?: unknown[] };
      const closed = () => sut.node.behind.readyState !== mongoose.ConnectionStates.connected;
      await waitFor(async () => closed() || (notifications._trackedContexts?.length ?? 0) > 0, 10_000, "the stop to close the database or wait");
      answerSms();
      await stopped;

      const db = await mongoose.createConnection(database).asPromise();
      try {
        const sms = await notificationsStore(db).deliveries.find({ user_id: citizen.user.id, channel: "sms" }).lean<DeliveryDoc[]>();
        assert.deepEqual(sms.map((d) => [d.status, d.attempts, d.provider_message_id]), [["sent", 1, "held-1"]]);
        assert.equal(expresso.requests.filter((r) => r.method === "POST").length, 1);
      } finally {
        await db.close();
      }
    } finally {
      answerSms();
      await sut.stop();
      await expresso.close();
    }
  });
});
