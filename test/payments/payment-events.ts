// The payment events a node emits, heard by a listener service started on that node. Each
// payload must parse by its contract (services/events.ts), or the probe fails the test.
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { EVENTS } from "../../services/events.ts";

export type Heard = Array<{ name: string; payload: Record<string, unknown> }>;

export async function listenToPayments(broker: ServiceBroker): Promise<Heard> {
  const heard: Heard = [];
  const hear = (name: "payments.succeeded" | "payments.failed" | "payments.refunded") => (ctx: { params: unknown }) => {
    const parsed = EVENTS[name].safeParse(ctx.params);
    assert.ok(parsed.success, `${name} does not fit its contract: ${JSON.stringify(ctx.params)}`);
    heard.push({ name, payload: ctx.params as Record<string, unknown> });
  };
  broker.createService({
    name: "payment-events-probe",
    events: { "payments.succeeded": hear("payments.succeeded"), "payments.failed": hear("payments.failed"), "payments.refunded": hear("payments.refunded") },
  });
  await broker.waitForServices(["payment-events-probe"]);
  return heard;
}

export const heardFor = (heard: Heard, transactionId: string, name?: string) =>
  heard.filter((h) => h.payload.transaction_id === transactionId && (!name || h.name === name));
