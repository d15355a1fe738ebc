// What a payment's events (services/events.ts) tell its payer: "payment received", in the
// app and on their devices. Not by SMS: Wave, Orange Money and Free Money already text the
// payer a receipt, and an SMS costs the office money. Once per payment (its key).
import type { EventPayload } from "../events.ts";
import type { NotifyRequest } from "./notify.ts";

const METHOD_NAMES = { wave: "Wave", orange_money: "Orange Money", free_money: "Free Money" } as const;

export function paymentReceived(payment: EventPayload<"payments.succeeded">): NotifyRequest {
  return {
    user_id: payment.user_id,
    event: "payment.received",
    data: { amount: payment.amount, method: METHOD_NAMES[payment.method] },
    idempotency_key: `payment.received:${payment.transaction_id}`,
    channels: ["in_app", "push"],
  };
}
