// The queues service's own collections: queue definitions and idempotency keys. Tickets
// and the journal belong to the actor host (actors/host/store.ts).
import { Schema, type Connection, type Model } from "mongoose";
import type { PolicyPatch } from "../../actors/queue/index.ts";
import { ensureIndexes, modelOf } from "../../mixins/db/models.ts";

export const QUEUE_OPENINGS = ["automatic", "manual"] as const;
export type QueueOpening = (typeof QUEUE_OPENINGS)[number];

export interface QueueDoc {
  organization_id: string;
  branch_id: string | null;
  service_id: string | null;
  name: string;
  prefix: string;
  policy: PolicyPatch;
  is_active: boolean;
  /** Whether the start-of-day job opens it ("automatic", the default) or an agent does ("manual"). */
  opening: QueueOpening;
  created_at: Date;
  updated_at: Date;
}

export interface IdempotencyDoc {
  _id: string; // "<user or anonymous>:<key>"
  ticket_id: string;
  queue_id: string;
  created_at: Date;
}

const queueSchema = new Schema<QueueDoc>(
  {
    organization_id: { type: String, required: true, index: true },
    branch_id: { type: String, default: null },
    service_id: { type: String, default: null },
    name: { type: String, required: true },
    prefix: { type: String, required: true },
    policy: { type: Schema.Types.Mixed, default: {} },
    is_active: { type: Boolean, default: true },
    opening: { type: String, enum: QUEUE_OPENINGS, default: "automatic" },
  },
  { collection: "queues", timestamps: { createdAt: "created_at", updatedAt: "updated_at" }, minimize: false },
);

const idempotencySchema = new Schema<IdempotencyDoc>(
  { _id: String, ticket_id: { type: String, required: true }, queue_id: { type: String, required: true }, created_at: { type: Date, default: () => new Date() } },
  { collection: "idempotency_keys", versionKey: false },
);

/** One queue closed at the end, or opened at the start, of one local day: `<queue id>:<YYYY-MM-DD>`. */
export interface DailyStepDoc {
  _id: string;
  at: Date;
}

const dailyStepSchema = (collection: string) => new Schema<DailyStepDoc>({ _id: String, at: { type: Date, required: true } }, { collection, versionKey: false });

/** A payment that paid a ticket's fee (`_id`: the payment's id): each pays one ticket. */
export interface FeePaymentDoc {
  _id: string;
  ticket_id: string;
  at: Date;
}

const feePaymentSchema = new Schema<FeePaymentDoc>(
  { _id: String, ticket_id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: "ticket_fee_payments", versionKey: false },
);

export interface QueuesStore {
  queues: Model<QueueDoc>;
  idempotency: Model<IdempotencyDoc>;
  feePayments: Model<FeePaymentDoc>;
  endOfDay: Model<DailyStepDoc>;
  startOfDay: Model<DailyStepDoc>;
}

export function queuesStore(db: Connection): QueuesStore {
  return {
    queues: modelOf(db, "Queue", queueSchema),
    idempotency: modelOf(db, "IdempotencyKey", idempotencySchema),
    feePayments: modelOf(db, "TicketFeePayment", feePaymentSchema),
    endOfDay: modelOf(db, "QueueEndOfDay", dailyStepSchema("end_of_day_closes")),
    startOfDay: modelOf(db, "QueueStartOfDay", dailyStepSchema("start_of_day_opens")),
  };
}

export const ensureQueuesIndexes = (store: QueuesStore) => ensureIndexes({ ...store });
