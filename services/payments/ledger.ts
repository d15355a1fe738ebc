// Changing a transaction exactly once per version, on any number of nodes at once: read it
// (its document, then any newer change already claimed), decide with the machine, and claim
// the next version by inserting it into payment_changes; the winner then writes the
// document by _id. A loser reads again and decides afresh, so two refunds decided on the
// same version can never both count, and a webhook delivered five times at once changes
// the payment once (the others find it settled and are ignored by the machine). A node
// that dies between its claim and its write leaves the claim, which the next reader folds in.
import { claimOnce } from "../../mixins/db/claim.ts";
import { errors } from "../../mixins/api/errors.ts";
import { decide, type Command, type Decision, type TransactionState } from "./transaction-machine.ts";
import type { PaymentsStore, TransactionDoc } from "./store.ts";
import { noteSettlements } from "./settlement-rows.ts";

const ATTEMPTS = 50;

export interface Plan {
  command?: Command;
  /** Other fields this change sets (the provider's reference, the next check…). */
  patch?: Partial<Omit<TransactionDoc, "_id" | "version" | "history" | "status" | "refunded" | "refunding">>;
}

export interface Changed {
  before: TransactionDoc;
  tx: TransactionDoc;
  decision: Decision | null;
}

export const stateOf = (tx: TransactionDoc): TransactionState => ({ status: tx.status, amount: tx.amount, refunded: tx.refunded, refunding: tx.refunding });

/** The transaction as it is now, or null. */
export async function current(store: PaymentsStore, id: string): Promise<TransactionDoc | null> {
  let tx = await store.transactions.findById(id).lean<TransactionDoc>();
  if (!tx) return null;
  for (;;) {
    const next = await store.changes.findById(`${id}:${tx.version + 1}`).lean();
    if (!next) return tx;
    tx = { ...next.set, _id: id } as TransactionDoc;
  }
}

/**
 * Applies `plan(tx)` to the transaction as it is now; `plan` returns null when there is
 * nothing to do. Answers the transaction before and after, and the machine's decision
 * (null when nothing was planned); a refusal or an ignored command changes nothing.
 */
export async function change(store: PaymentsStore, id: string, plan: (tx: TransactionDoc) => Plan | null, now: () => Date = () => new Date()): Promise<Changed> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const tx = await current(store, id);
    if (!tx) throw errors.notFound("Transaction");
    const planned = plan(tx);
    if (!planned) return { before: tx, tx, decision: null };
    const decision: Decision = planned.command ? decide(stateOf(tx), planned.command) : { kind: "changed", state: stateOf(tx), transitions: [] };
    if (decision.kind !== "changed") return { before: tx, tx, decision };
    const { _id, ...fields } = tx;
    const set = { ...fields, ...planned.patch, ...decision.state, version: tx.version + 1, history: [...tx.history, ...decision.transitions], updated_at: now() };
    // Before the claim: once claimed, a change counted by the settlement must be in its rows.
    await noteSettlements(store, tx, decision.transitions);
    if (await claimOnce(store.changes, `${id}:${set.version}`, { tx_id: id, version: set.version, set, at: set.updated_at })) {
      await store.transactions.updateOne({ _id: id }, { $set: set });
      return { before: tx, tx: { ...set, _id }, decision };
    }
    // Another caller took this version: read what it wrote, and decide again.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
  }
  throw errors.storeBusy();
}
