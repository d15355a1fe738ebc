// What a ticket for a service with a fee needs before it is issued: the fee paid (a
// succeeded payment of its citizen, for that service, of at least the fee, paying no other
// ticket), or — staff only — the fee to be paid at the counter. The ticket carries the
// outcome (`fee`), so the agent calling it sees whether it is paid.
import type { Context } from "moleculer";
import type { Model } from "mongoose";
import type { TicketFee } from "../../actors/queue/index.ts";
import { isStaffOf } from "../../mixins/api/authorize.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { FeePaymentDoc } from "./store.ts";

export interface FeeRequest {
  payment_id?: string;
  pay_at_counter?: boolean;
}

/** What the payments service answers of a payment (payments.byId), in the fields used here. */
interface PaymentSeen {
  id: string;
  user_id: string;
  service_id: string | null;
  appointment_id?: string | null;
  amount: number;
  status: string;
}

const refused = (message: string) => errors.paymentRule("payment_required", message);

/** The fee the ticket carries, or null when its queue's service has none. `holder`: the citizen the ticket is for. */
export async function feeFor(ctx: Context, user: AuthUser, queue: { organization_id: string; service_id: string | null }, holder: string | null, request: FeeRequest): Promise<TicketFee | null> {
  const service = queue.service_id ? await ctx.call<{ fee_xof: number } | null, { id: string }>("business.services.byId", { id: queue.service_id }) : null;
  const xof = service?.fee_xof ?? 0;
  if (xof === 0) {
    if (request.payment_id || request.pay_at_counter) throw errors.validation([{ path: request.payment_id ? "body.payment_id" : "body.pay_at_counter", message: "this queue's service has no fee" }]);
    return null;
  }
  if (request.pay_at_counter) {
    if (!isStaffOf(user, queue.organization_id)) throw errors.forbidden("leave a fee to be paid at the counter");
    if (request.payment_id) throw errors.validation([{ path: "body.pay_at_counter", message: "a paid ticket is not paid at the counter too" }]);
    return { xof, payment_id: null };
  }
  if (!request.payment_id) throw refused(`This service costs ${xof} XOF: pay it first (POST /api/payments/process-payment/) and give its payment_id, or have staff issue the ticket to be paid at the counter.`);
  const payment = await ctx.call<PaymentSeen | null, { id: string }>("payments.byId", { id: request.payment_id });
  const problem = whyNotPaying(payment, xof, queue.service_id!, holder);
  if (problem) throw refused(`Payment ${request.payment_id} ${problem}.`);
  return { xof, payment_id: request.payment_id };
}

function whyNotPaying(payment: PaymentSeen | null, xof: number, serviceId: string, holder: string | null): string | null {
  if (!payment || payment.user_id !== holder) return "is not one of this ticket's citizen";
  if (payment.service_id !== serviceId || payment.appointment_id) return "pays for something else";
  if (payment.status !== "succeeded") return `is ${payment.status}, not succeeded`;
  if (payment.amount < xof) return `is ${payment.amount} XOF, less than the fee of ${xof} XOF`;
  return null;
}

/**
 * Ties the payment to the ticket, once: the same ticket again (a retried request) is fine,
 * another ticket is refused. Answers how to let go of it should the ticket not be issued.
 */
export async function takePayment(claims: Model<FeePaymentDoc>, fee: TicketFee | null, ticketId: string): Promise<() => Promise<void>> {
  const paymentId = fee?.payment_id;
  if (!paymentId) return async () => {};
  if (await claimOnce(claims, paymentId, { ticket_id: ticketId, at: new Date() })) {
    return async () => {
      await claims.deleteOne({ _id: paymentId });
    };
  }
  const holder = await claims.findById(paymentId).lean();
  if (holder?.ticket_id !== ticketId) throw errors.paymentRule("payment_used", `Payment ${paymentId} has paid for another ticket already.`, { ticket_id: holder?.ticket_id ?? null });
  return async () => {};
}
