// Request shapes of the payments service: they validate, type the handlers and feed the
// OpenAPI document. Amounts are integer XOF up to the configured ceiling (money.ts).
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { DateBound, IdParams } from "../../mixins/api/schemas.ts";
import { xofAmount } from "./money.ts";
import { METHODS } from "./providers/types.ts";
import { STATUSES } from "./transaction-machine.ts";

const TransactionId = z.string().min(1).max(64);
const Phone = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be a phone number in E.164 form, e.g. +221771234567");

export function paymentSchemas(maxAmountXof: number) {
  const NewPayment = z
    .object({
      service_id: z.string().min(1).max(64),
      /** Paying an appointment's deposit: the amount is the service's deposit_xof. */
      appointment_id: z.string().min(1).max(64).optional(),
      method: z.enum(METHODS),
      amount: xofAmount(maxAmountXof),
      phone: Phone,
      description: z.string().trim().min(1).max(200).optional(),
    })
    .strict();
  return {
    CreateTransaction: restInput({ body: NewPayment }),
    // A transaction created before (its id), or a new one (its fields): one object, so that
    // a bad field is named (a union would only say that neither shape fits).
    ProcessPayment: restInput({
      body: NewPayment.partial()
        .extend({ transaction_id: TransactionId.optional() })
        .strict()
        .superRefine((body, ctx) => {
          const given = (Object.keys(NewPayment.shape) as Array<keyof typeof body>).filter((k) => body[k] !== undefined);
          if (body.transaction_id) {
            for (const field of given) ctx.addIssue({ code: "custom", path: [field], message: "not with transaction_id: the transaction has it already" });
            return;
          }
          for (const field of ["service_id", "method", "amount", "phone"] as const) {
            if (body[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "is required (or give transaction_id)" });
          }
        }),
    }),
    VerifyPayment: restInput({ body: z.object({ transaction_id: TransactionId }).strict() }),
    Refund: restInput({
      body: z.object({ transaction_id: TransactionId, amount: xofAmount(maxAmountXof).optional(), reason: z.string().trim().max(200).optional() }).strict(),
    }),
  };
}

/** Staff list their organisation's payments made in a window (mixins/api/list-window.ts), by default the last 7 days; the platform admin names the organisation. */
export const ListTransactions = restInput({
  query: listQuery(["created_at", "amount", "status", "method"], {
    status: z.enum(STATUSES).optional(),
    method: z.enum(METHODS).optional(),
    service_id: z.string().max(64).optional(),
    user_id: z.string().max(64).optional(),
    organization_id: z.string().max(64).optional(),
    date_from: DateBound.optional(),
    date_to: DateBound.optional(),
  }),
});
export const GetTransaction = restInput({ params: IdParams });
export const ListMethods = restInput({});
export const Settlement = restInput({
  query: z.object({ date: z.iso.date("must be a day, YYYY-MM-DD").optional(), organization_id: z.string().max(64).optional() }).strict(),
});

export const WEBHOOK_PATHS = { wave: "wave", "orange-money": "orange_money", "free-money": "free_money" } as const;
/** What the gateway's raw-body webhook route hands the action: the body as received. */
export const Webhook = z.object({
  body: z.string().max(64 * 1024).catch(""),
  query: z.record(z.string(), z.string()).catch({}),
  params: z.object({ provider: z.enum(Object.keys(WEBHOOK_PATHS) as [keyof typeof WEBHOOK_PATHS]).optional() }),
});
export const Reconcile = z.object({}).loose();
export const ById = z.object({ id: z.string().max(64) });
