// A payment transaction as a pure state machine: no clock, no I/O. The service stores what
// `decide` answers (each change under the next version, services/payments/ledger.ts) and
// carries out nothing itself.
//
//   created → pending → succeeded | failed | expired
//   succeeded → partially_refunded → refunded   (a full refund at once: succeeded → refunded)
//
// Every status change is a Transition with its cause. A provider's word that the machine has
// gone past (a late "pending" after "succeeded", a webhook replayed after verification) is
// ignored, not an error; what a user may not do (refund an unpaid transaction, refund more
// than is left) is refused with a code. A refund is reserved first (`refund` command:
// `refunding` grows, the status stays), so concurrent refunds can never add up to more than
// was paid, and becomes a status change only when the provider took it (`refundSettled`).

export const STATUSES = ["created", "pending", "succeeded", "failed", "expired", "partially_refunded", "refunded"] as const;
export type Status = (typeof STATUSES)[number];

export const CAUSES = ["user", "webhook", "verification", "reconciliation"] as const;
export type Cause = (typeof CAUSES)[number];

/** What a provider (by webhook, or asked by verification or reconciliation) says of a payment. */
export const OUTCOMES = ["pending", "succeeded", "failed", "expired"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Every status change the machine may make, and nothing else. */
export const ALLOWED: Readonly<Record<Status, readonly Status[]>> = {
  created: ["pending"],
  pending: ["succeeded", "failed", "expired"],
  succeeded: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  failed: [],
  expired: [],
  refunded: [],
};

export interface Transition {
  from: Status;
  to: Status;
  cause: Cause;
  /** ISO time, given by the caller. */
  at: string;
  /** For refunds: the XOF refunded by this change. */
  amount?: number;
  /** The provider's words, for the record (e.g. a failure reason). */
  note?: string;
}

export interface TransactionState {
  status: Status;
  /** What was paid, integer XOF. */
  amount: number;
  /** XOF the provider has refunded. */
  refunded: number;
  /** XOF of refunds asked of the provider and not yet settled. */
  refunding: number;
}

export type Command =
  /** The provider accepted the payment request: the user is on their way to pay. */
  | { type: "start"; cause: "user"; at: string }
  /** A provider's word on the payment. */
  | { type: "settle"; outcome: Outcome; cause: Exclude<Cause, "user">; at: string; note?: string }
  /** Staff reserve a refund before asking the provider. */
  | { type: "refund"; amount: number; cause: "user"; at: string }
  /** The provider took (ok) or refused a reserved refund. */
  | { type: "refundSettled"; amount: number; ok: boolean; cause: "user"; at: string; note?: string };

export type Decision =
  | { kind: "changed"; state: TransactionState; transitions: Transition[] }
  | { kind: "ignored"; reason: string }
  | { kind: "refused"; code: "not_refundable" | "refund_exceeds_balance" | "invalid_transition"; message: string };

export const initialState = (amount: number): TransactionState => ({ status: "created", amount, refunded: 0, refunding: 0 });

export const isFinal = (status: Status) => ALLOWED[status].length === 0;
/** The provider has the last word until the payment is settled one way or the other. */
export const isOpen = (status: Status) => status === "created" || status === "pending";
export const refundable = (state: TransactionState) => state.amount - state.refunded - state.refunding;

export function decide(state: TransactionState, command: Command): Decision {
  switch (command.type) {
    case "start":
      return state.status === "created"
        ? changed(state, { status: "pending" }, [step(state.status, "pending", command)])
        : { kind: "ignored", reason: `already ${state.status}` };
    case "settle":
      return settle(state, command);
    case "refund":
      return reserveRefund(state, command);
    case "refundSettled":
      return settleRefund(state, command);
    default:
      return assertNever(command);
  }
}

function settle(state: TransactionState, command: Extract<Command, { type: "settle" }>): Decision {
  const { outcome } = command;
  if (!isOpen(state.status)) return { kind: "ignored", reason: `the payment is already ${state.status}; "${outcome}" comes too late` };
  // A word that arrives before the provider's answer to the start: the start happened.
  const started = state.status === "created" ? [step("created", "pending", command)] : [];
  if (outcome === "pending") {
    return started.length ? changed(state, { status: "pending" }, started) : { kind: "ignored", reason: "still pending" };
  }
  return changed(state, { status: outcome }, [...started, step("pending", outcome, command)]);
}

function reserveRefund(state: TransactionState, command: Extract<Command, { type: "refund" }>): Decision {
  if (state.status !== "succeeded" && state.status !== "partially_refunded") {
    return { kind: "refused", code: "not_refundable", message: `A ${state.status} payment cannot be refunded.` };
  }
  if (!Number.isSafeInteger(command.amount) || command.amount <= 0) {
    return { kind: "refused", code: "invalid_transition", message: "A refund is a positive whole number of XOF." };
  }
  if (command.amount > refundable(state)) {
    return { kind: "refused", code: "refund_exceeds_balance", message: `At most ${refundable(state)} XOF of this payment can still be refunded.` };
  }
  return changed(state, { refunding: state.refunding + command.amount }, []);
}

function settleRefund(state: TransactionState, command: Extract<Command, { type: "refundSettled" }>): Decision {
  if (command.amount > state.refunding || command.amount <= 0) {
    return { kind: "refused", code: "invalid_transition", message: `No refund of ${command.amount} XOF is waiting for the provider.` };
  }
  const refunding = state.refunding - command.amount;
  if (!command.ok) return changed(state, { refunding }, []);
  const refunded = state.refunded + command.amount;
  const to: Status = refunded === state.amount ? "refunded" : "partially_refunded";
  return changed(state, { refunding, refunded, status: to }, [{ ...step(state.status, to, command), amount: command.amount }]);
}

function step(from: Status, to: Status, command: Command): Transition {
  return { from, to, cause: command.cause, at: command.at, ...("note" in command && command.note ? { note: command.note } : {}) };
}

function changed(state: TransactionState, change: Partial<TransactionState>, transitions: Transition[]): Decision {
  return { kind: "changed", state: { ...state, ...change }, transitions };
}

function assertNever(value: never): never {
  throw new Error(`unknown command ${JSON.stringify(value)}`);
}
